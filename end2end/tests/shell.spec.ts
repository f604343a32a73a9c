import { test, expect } from './fixtures';
import { Shell } from './pages/shell';

test('the shell opens in Chinese and switches to English, and the choice survives a reload', async ({ page, a11y }) => {
  const echartsRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('echarts')) echartsRequests.push(r.url());
  });
  const shell = new Shell(page);
  await shell.open('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('banner')).toContainText('评价 Pingjia');
  await expect(shell.nav().getByRole('link', { name: '首页' })).toBeVisible();
  await expect(shell.heading()).toHaveText('让每一次服务都被听见');
  await a11y();

  await shell.switchLanguage('en');
  await expect(shell.nav().getByRole('link', { name: 'Home' })).toBeVisible();
  await expect(shell.heading()).not.toHaveText('让每一次服务都被听见');
  await a11y();

  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(shell.nav().getByRole('link', { name: 'Home' })).toBeVisible();
  await expect(shell.banner().getByRole('link', { name: 'Sign in' })).toBeVisible();

  // The home page never pays for the chart library.
  expect(echartsRequests).toEqual([]);
});

test('an unknown address shows a real not-found page with a way home', async ({ page, a11y }) => {
  const shell = new Shell(page);
  await shell.open('/no/such/page');
  await expect(shell.heading()).toHaveText('页面未找到');
  await expect(page.getByRole('main')).toContainText('/no/such/page');
  await a11y();
  await page.getByRole('link', { name: '返回首页' }).click();
  await expect(page).toHaveURL('/');
  await expect(shell.heading()).toHaveText('让每一次服务都被听见');
});

test('at phone width the page fits and the navigation is reachable by keyboard', async ({ page, a11y }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  const shell = new Shell(page);
  await shell.open('/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // The first Tab reaches the skip link, which moves focus to the main content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: '跳到主要内容' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await a11y();
});

test('the server answers the page with a nonce-based content security policy', async ({ page }) => {
  const response = await page.goto('/');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, 'a nonce in the policy').toBeTruthy();
  // The inline loader carries the same nonce, so the app actually started.
  await expect(page.getByRole('main')).toBeVisible();
  const loaderNonce = await page.evaluate(() => (document.querySelector('script[type=module]') as HTMLScriptElement | null)?.nonce);
  expect(loaderNonce).toBe(nonce);
});
