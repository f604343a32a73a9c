import { test, expect } from './fixtures';
import { signInByApi } from './pages/login';

// The customer's pages are the light app: no chart library, and a bound on the bytes of a first
// visit of a rating form (byte counts are deterministic, so this is a test; the time it takes is
// measured by the benchmark in bench/, not here). The product target is 250 KB compressed; the
// light app was 398 KB on 2026-11-22 (379 KB of it the brotli wasm) and is 439 KB on 2026-12-04,
// after the rating link's page, its opt-out page and sign-in by one-time code came into it
// (issue 19); the bound is that figure plus 5 %, to stop it growing until the tiny rating page
// (issue 20) takes the link's first visit out of it (see README, "Two builds").
const BUDGET = 461 * 1000;

test('a rating form opened from a link loads the light app within the byte budget', async ({ page, a11y }) => {
  await signInByApi(page, 'customer', '13800000002');
  const records = await (await page.request.get('/api/v1/me/service-records')).json();
  const id = records.awaiting[0].id;

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  const paths: string[] = [];
  cdp.on('Network.requestWillBeSent', (e) => paths.push(new URL(e.request.url).pathname));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });

  await page.goto(`/customer/rate/${id}`);
  await expect(page.getByRole('radio').first()).toBeEnabled();
  await page.waitForLoadState('networkidle');

  expect(paths.filter((p) => /echarts/i.test(p)), 'no chart library on a customer page').toEqual([]);
  expect(paths.some((p) => p.startsWith('/c/') && p.endsWith('.wasm')), 'the light app is served').toBeTruthy();
  expect(bytes, `transferred ${bytes} bytes:\n${paths.join('\n')}`).toBeLessThan(BUDGET);
  await a11y();
});

test('a staff page reached from the light app loads the full app', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  await page.goto('/');
  await a11y();
  await page.getByRole('link', { name: '进入我的主页' }).click();
  await expect(page).toHaveURL('/admin');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('管理概览');
  await a11y();
});
