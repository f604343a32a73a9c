import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';
import { BASE, type Helpdesk, helpdesk, newRatingLink } from './pages/links';

// The rating link's page (issue 20): its own small build (dist/link) served for /r/{token}, on a
// phone, in both languages, by keyboard alone; the draft survives a reload; an evaluation sent
// offline is kept and sent once when the browser is back online; a double click sends one; a
// link that does not work says so. The texts are the locale files' (one place for every text).

const locales = {
  zh: JSON.parse(readFileSync(join(__dirname, '../../locales/zh-CN.json'), 'utf8')),
  en: JSON.parse(readFileSync(join(__dirname, '../../locales/en.json'), 'utf8')),
};
const PHONE = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true };

async function phone(browser: Browser, locale: 'zh-CN' | 'en-US'): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, baseURL: BASE, locale, timezoneId: 'Asia/Shanghai' });
  return context.newPage();
}

type Dimension = { name_zh: string; name_en: string };

async function dimensionsOf(page: Page, link: string): Promise<Dimension[]> {
  const response = await page.request.get(`/api/v1/rating-links/${link.slice(3)}`);
  expect(response.ok()).toBeTruthy();
  return (await response.json()).dimensions;
}

/** The POSTs of evaluations the page sends. */
function countSubmissions(page: Page): () => number {
  let sent = 0;
  page.on('requestfinished', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/evaluation')) sent += 1;
  });
  return () => sent;
}

/** Presses Tab until `target` has the focus. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>) {
  for (let i = 0; i < 60 && !(await target.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

let desk: Helpdesk;
test.beforeAll(async ({ browser }) => {
  desk = await helpdesk(browser);
});

test('on a phone, by keyboard alone, in Chinese: the link rates, shows the evaluation and appeals it', async ({ browser }) => {
  const zh = locales.zh;
  const customer = await phone(browser, 'zh-CN');
  const { link } = await newRatingLink(customer.request, desk);
  const dimensions = await dimensionsOf(customer, link);
  const sent = countSubmissions(customer);
  await customer.goto(link);
  await expect(customer.getByRole('heading', { level: 1, name: zh.link.title })).toBeVisible();
  const overflow = await customer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Each group: Space chooses one star, each ArrowRight one more; Tab goes on.
  const star = (d: Dimension, n: number) =>
    customer.getByRole('group', { name: new RegExp(`^${d.name_zh}`) }).getByRole('radio', { name: new RegExp(`^${n} 星`) });
  await tabTo(customer, star(dimensions[0], 1));
  for (const d of dimensions) {
    await expect(star(d, 1)).toBeFocused();
    await customer.keyboard.press('Space');
    for (let i = 1; i < 4; i++) await customer.keyboard.press('ArrowRight');
    await expect(star(d, 4)).toBeChecked();
    await customer.keyboard.press('Tab');
  }
  const overall = customer.getByRole('group', { name: new RegExp(`^${zh.rating.overall_legend}`) });
  await expect(overall.getByRole('radio', { name: '1', exact: true })).toBeFocused();
  await customer.keyboard.press('Space');
  for (let i = 1; i < 7; i++) await customer.keyboard.press('ArrowRight');
  await expect(overall.getByRole('radio', { name: '7', exact: true })).toBeChecked();
  await customer.keyboard.press('Tab');
  await expect(customer.getByLabel(zh.rating.suggestion_label)).toBeFocused();
  await customer.keyboard.type('等待时间有点长。');
  await expect(customer.locator('#rating-submit-status')).toHaveText(zh.rating.ready);
  await expectAccessible(customer);
  await customer.keyboard.press('Tab');
  await expect(customer.getByRole('button', { name: zh.rating.submit })).toBeFocused();
  await customer.keyboard.press('Enter');

  await expect(customer.getByText(zh.link.thanks)).toBeVisible();
  await expect(customer.getByText(/^PJ\d{8}-\d{6}$/)).toBeVisible();
  await expect(customer.getByRole('main')).toContainText('4.0');
  expect(sent()).toBe(1);
  await expectAccessible(customer);

  const appeal = customer.getByRole('button', { name: zh.appeals.appeal_action });
  await tabTo(customer, appeal);
  await customer.keyboard.press('Enter');
  const reason = customer.getByRole('textbox', { name: zh.appeals.reason_label });
  await expect(reason).toBeVisible();
  await tabTo(customer, reason);
  await customer.keyboard.type('我选错了星级，本意是非常满意。');
  await tabTo(customer, customer.getByRole('button', { name: new RegExp(zh.appeals.submit) }));
  await customer.keyboard.press('Enter');
  await expect(customer.getByText(zh.link.appeal_filed)).toBeVisible();
  await expectAccessible(customer);
  await customer.context().close();
});

test('the language switch, by keyboard, turns the page to English and is remembered across a reload', async ({ browser }) => {
  const { zh, en } = locales;
  const customer = await phone(browser, 'zh-CN');
  const { link } = await newRatingLink(customer.request, desk);
  await customer.goto(link);
  await expect(customer.getByRole('heading', { level: 1, name: zh.link.title })).toBeVisible();
  await tabTo(customer, customer.getByRole('group', { name: zh.lang.label }).getByRole('button', { name: en.lang.en }));
  await customer.keyboard.press('Enter');
  await expect(customer.getByRole('heading', { level: 1, name: en.link.title })).toBeVisible();
  await expect(customer.locator('html')).toHaveAttribute('lang', 'en');
  await expect(customer.getByRole('button', { name: en.rating.submit })).toBeVisible();
  // The choice is the app's too (the same stored key), and outlives a reload.
  expect(await customer.evaluate(() => localStorage.getItem('pingjia.locale'))).toBe('en');
  await customer.reload();
  await expect(customer.getByRole('heading', { level: 1, name: en.link.title })).toBeVisible();
  await expectAccessible(customer);
  await customer.context().close();
});

test('in English: the draft survives a reload; sent offline, the evaluation goes once when back online', async ({ browser }) => {
  const en = locales.en;
  const customer = await phone(browser, 'en-US');
  const { link } = await newRatingLink(customer.request, desk);
  const dimensions = await dimensionsOf(customer, link);
  await customer.goto(link);
  await expect(customer.getByRole('heading', { level: 1, name: en.link.title })).toBeVisible();
  await expect(customer.locator('html')).toHaveAttribute('lang', 'en');
  const group = (d: Dimension) => customer.getByRole('group', { name: new RegExp(`^${d.name_en}`) });
  for (const d of dimensions) await group(d).locator('label').nth(1).tap();
  await customer.getByLabel(en.rating.suggestion_label).fill('Quick and friendly.');

  await customer.reload();
  for (const d of dimensions) await expect(group(d).getByRole('radio', { name: /^2 stars/ })).toBeChecked();
  await expect(customer.getByLabel(en.rating.suggestion_label)).toHaveValue('Quick and friendly.');

  const overall = customer.getByRole('group', { name: new RegExp(`^${en.rating.overall_legend}`) });
  await overall.locator('label', { hasText: /^8$/ }).tap();
  const sent = countSubmissions(customer);
  await customer.context().setOffline(true);
  await customer.getByRole('button', { name: en.rating.submit }).tap();
  await expect(customer.locator('#rating-submit-status')).toHaveText(en.rating.saved_offline);
  await customer.context().setOffline(false);
  await expect(customer.getByText(en.link.thanks)).toBeVisible();
  expect(sent()).toBe(1);
  const form = await (await customer.request.get(`/api/v1/rating-links/${link.slice(3)}`)).json();
  expect(form.state).toBe('rated');
  expect(form.evaluation.overall).toBe(8);
  // Nothing of the link stays on the device once it is sent: no draft, no queued submission.
  expect(await customer.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('pingjia.link.')))).toEqual([]);
  await customer.context().close();
});

test('a double click sends one evaluation', async ({ browser }) => {
  const zh = locales.zh;
  const customer = await phone(browser, 'zh-CN');
  const { link } = await newRatingLink(customer.request, desk);
  const dimensions = await dimensionsOf(customer, link);
  const sent = countSubmissions(customer);
  await customer.goto(link);
  for (const d of dimensions) {
    await customer.getByRole('group', { name: new RegExp(`^${d.name_zh}`) }).locator('label').nth(4).tap();
  }
  await customer.getByRole('group', { name: new RegExp(`^${zh.rating.overall_legend}`) }).locator('label', { hasText: /^10$/ }).tap();
  await customer.getByRole('button', { name: zh.rating.submit }).dblclick();
  await expect(customer.getByText(zh.link.thanks)).toBeVisible();
  await customer.waitForLoadState('networkidle');
  expect(sent()).toBe(1);
  await customer.context().close();
});

test('a link that does not work says so and offers to sign in', async ({ page, browser, a11y }) => {
  await page.goto(`/r/${'A'.repeat(43)}`);
  await expect(page.getByText(locales.zh.link.unknown)).toBeVisible();
  await expect(page.getByRole('link', { name: locales.zh.link.sign_in })).toHaveAttribute('href', '/login');
  await a11y();

  // A link the admin withdrew.
  const { link, recordId } = await newRatingLink(page.request, desk);
  const admin = await browser.newContext({ baseURL: BASE });
  const login = await admin.request.post('/api/v1/auth/login', {
    data: { kind: 'staff', login: 'A0001', password: 'Pingjia-Demo-2026' },
  });
  expect(login.ok()).toBeTruthy();
  expect((await admin.request.delete(`/api/v1/service-records/${recordId}/invitation`)).ok()).toBeTruthy();
  await admin.close();
  await page.goto(link);
  await expect(page.getByText(locales.zh.link.revoked)).toBeVisible();
  await a11y();
});
