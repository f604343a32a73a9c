import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { signInByApi } from './pages/login';

/** Chinese characters and full-width punctuation. */
const CHINESE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/g;

/** The words of the page's main region that are the interface's own, with what people wrote
 *  (their names, the details they typed; marked `data-verbatim`) left out. Option texts count. */
async function interfaceText(page: Page): Promise<string> {
  return page.getByRole('main').evaluate((main) => {
    const copy = main.cloneNode(true) as HTMLElement;
    // People's names: marked where shown; the team lead choices are people too.
    copy.querySelectorAll('[data-verbatim], #team-lead option').forEach((el) => el.remove());
    return copy.textContent ?? '';
  });
}

async function expectAllEnglish(page: Page) {
  const text = await interfaceText(page);
  const found = [...new Set(text.match(CHINESE) ?? [])];
  expect(found, `Chinese on the English page ${new URL(page.url()).pathname}: ${text.slice(0, 400)}`).toEqual([]);
}

// Issue 24: every word in the user's language. Teams named in English, audit actions in words.
test('in English, the teams and the audit log hold no Chinese but people’s own words', async ({ page, a11y }) => {
  await page.addInitScript(() => window.localStorage.setItem('pingjia.locale', 'en'));
  await signInByApi(page, 'staff', 'A0001');

  await page.goto('/admin/teams');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teams');
  await expect(page.getByRole('rowheader', { name: 'East China 1' })).toBeVisible();
  await expectAllEnglish(page);
  await a11y();

  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
  await expect(page.locator('.audit-action', { hasText: 'Signed in' }).first()).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText('auth.login');
  await expectAllEnglish(page);
  await a11y();
});

// Issue 24: complaint tags can have an English name; the lead's home names the team in English;
// the delivery log stays readable at phone width.
test('in English, complaint tags and team names read in English, and an admin names a tag', async ({ page, a11y }) => {
  await page.addInitScript(() => window.localStorage.setItem('pingjia.locale', 'en'));
  await signInByApi(page, 'staff', 'A0001');

  // The dashboard's complaint table: the demo's tags are named in English.
  await page.goto('/admin/analytics');
  // The chart's data table, behind its "table" disclosure.
  const complaints = page.locator('details.chart-data').filter({ has: page.locator('thead th', { hasText: /^Tag$/ }) });
  await complaints.locator('summary').click();
  await expect(complaints.getByRole('rowheader').first()).toBeVisible();
  const tags = await complaints.getByRole('rowheader').allTextContents();
  expect(tags.join(' ')).not.toMatch(CHINESE);
  expect(tags).toContain('Attitude');
  await a11y();

  // The tags page: the most used first, each named; renamed, the dashboard follows.
  await page.getByRole('link', { name: 'Name the complaint tags in English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Complaint tags');
  await expect(page.locator('.list-count')).toContainText('0 without an English name');
  const field = page.getByRole('textbox', { name: 'English name 服务态度', exact: true });
  await expect(field).toHaveValue('Attitude');
  // The field takes 50 characters at most (the server refuses more: tag_names.rs).
  await field.fill('x'.repeat(51));
  await expect(field).toHaveValue('x'.repeat(50));
  const row = page.getByRole('row', { name: /服务态度/ });
  await field.fill('Service attitude');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByRole('status')).toHaveText('Saved');
  await expectAllEnglish(page);
  await a11y();
  await page.goto('/admin/analytics');
  await complaints.locator('summary').click();
  await expect(complaints.getByRole('rowheader', { name: 'Service attitude' })).toBeVisible();
  // Back as it was, for the other specs.
  await page.goto('/admin/analytics/tags?q=Service');
  await page.getByRole('textbox', { name: 'English name 服务态度', exact: true }).fill('Attitude');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  // At phone width each delivery is a short card (its error wraps inside it).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/admin/deliveries');
  const cards = page.locator('.delivery-table tbody tr');
  await expect(cards.first()).toBeVisible();
  const heights = await cards.evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
  expect(Math.max(...heights)).toBeLessThan(1000);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await a11y();
});

test('in English, the lead’s home names the team in English', async ({ page }) => {
  await page.addInitScript(() => window.localStorage.setItem('pingjia.locale', 'en'));
  await signInByApi(page, 'staff', 'L0001');
  await page.goto('/lead');
  await expect(page.getByTestId('team-line')).toContainText('East China 1');
  await expect(page.getByTestId('team-line')).not.toContainText('华东');
});
