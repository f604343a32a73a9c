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
