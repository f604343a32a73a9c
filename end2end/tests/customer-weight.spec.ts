import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { LoginPage, signInByApi } from './pages/login';
import { helpdesk, newRatingLink } from './pages/links';

// What a customer's first visit transfers, cold cache, every request counted (compressed, headers
// included). Byte counts are deterministic, so they are tests; the time a visit takes is measured
// by the benchmark (end2end/bench/first-visit.spec.ts, `make bench-e2e`), not here.
//
// The targets (issue 20): the rating link's page, the tiny build in dist/link, at most 120 KB;
// the customer's sign-in page at most 250 KB, which the sign-in build (dist/s: the app with its
// home and sign-in pages only) opens. On 2026-12-05 the link's first visit is 119.4 KB in 5
// requests (107 KB of it the brotli wasm; styles and icon inline) and the light app's 412-414
// KB (a signed-in customer's pages); the first two bounds are their targets, the light app's
// today's figure plus 5 %, so that none grows back (README, "Four builds").
const LINK_BUDGET = 120 * 1000;
const SIGN_IN_BUDGET = 250 * 1000;
const LIGHT_BUDGET = 435 * 1000;

type Visit = { bytes: number; paths: string[] };

/** Opens `path` with a cold cache and counts what every request of the visit transfers. */
async function firstVisit(page: Page, path: string, ready: () => Promise<void>): Promise<Visit> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const visit: Visit = { bytes: 0, paths: [] };
  cdp.on('Network.requestWillBeSent', (e) => visit.paths.push(new URL(e.request.url).pathname));
  cdp.on('Network.loadingFinished', (e) => {
    visit.bytes += e.encodedDataLength;
  });
  await page.goto(path);
  await ready();
  await page.waitForLoadState('networkidle');
  return visit;
}

const described = (v: Visit) => `transferred ${v.bytes} bytes:\n${v.paths.join('\n')}`;

test('the rating link opens its tiny page within the byte budget', async ({ page, browser, a11y }) => {
  const { link } = await newRatingLink(page.request, await helpdesk(browser));
  const visit = await firstVisit(page, link, () => expect(page.getByRole('radio').first()).toBeEnabled());
  expect(visit.paths.some((p) => p.startsWith('/link/') && p.endsWith('.wasm')), 'the tiny build is served').toBeTruthy();
  expect(visit.paths.filter((p) => p.startsWith('/c/') || /echarts/i.test(p)), 'nothing of the other apps').toEqual([]);
  expect(visit.bytes, described(visit)).toBeLessThan(LINK_BUDGET);
  await a11y();
});

test('the sign-in page opens the sign-in build within the byte budget', async ({ page, a11y }) => {
  const visit = await firstVisit(page, '/login', () => expect(page.getByRole('textbox').first()).toBeEditable());
  expect(visit.paths.some((p) => p.startsWith('/s/') && p.endsWith('.wasm')), 'the sign-in build is served').toBeTruthy();
  expect(visit.paths.filter((p) => p.startsWith('/c/') || /echarts/i.test(p)), 'nothing of the other apps').toEqual([]);
  expect(visit.bytes, described(visit)).toBeLessThan(SIGN_IN_BUDGET);
  await a11y();
});

test('a customer signed in on the way in lands on their services in the light app', async ({ page, a11y }) => {
  const login = new LoginPage(page);
  await login.open('/customer/evaluations');
  await a11y();
  await login.signIn('customer', '13800000002');
  await expect(page).toHaveURL('/customer/evaluations');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的评价');
  const scripts = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
  );
  expect(scripts.some((p) => p.startsWith('/c/') && p.endsWith('.wasm')), 'the light app has the page').toBeTruthy();
  await a11y();
});

test('a signed-in customer rating form is the light app too', async ({ page, a11y }) => {
  await signInByApi(page, 'customer', '13800000002');
  const records = await (await page.request.get('/api/v1/me/service-records')).json();
  const visit = await firstVisit(page, `/customer/rate/${records.awaiting[0].id}`, () =>
    expect(page.getByRole('radio').first()).toBeEnabled(),
  );
  expect(visit.paths.filter((p) => /echarts/i.test(p)), 'no chart library on a customer page').toEqual([]);
  expect(visit.paths.some((p) => p.startsWith('/c/') && p.endsWith('.wasm')), 'the light app is served').toBeTruthy();
  expect(visit.bytes, described(visit)).toBeLessThan(LIGHT_BUDGET);
  await a11y();
});

test('a staff page reached from the way in loads the full app', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  await page.goto('/');
  await a11y();
  await page.getByRole('link', { name: '进入我的主页' }).click();
  await expect(page).toHaveURL('/admin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('管理概览');
  await a11y();
});
