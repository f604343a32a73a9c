import { expect, type Page } from '@playwright/test';

export type Lang = 'zh-CN' | 'en';

/** Goes to `path` and waits for the page's title (its level-1 heading `title`). */
export async function openTitled(page: Page, path: string, title: string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
}

/** The app shell every page shares: top bar, navigation, account, language switch. */
export class Shell {
  constructor(readonly page: Page) {}

  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.page.getByRole('main')).toBeVisible();
  }

  nav() {
    return this.page.getByRole('banner').getByRole('navigation');
  }

  banner() {
    return this.page.getByRole('banner');
  }

  async switchLanguage(to: Lang) {
    await this.page.getByRole('button', { name: to === 'en' ? 'English' : '中文' }).click();
    await expect(this.page.locator('html')).toHaveAttribute('lang', to);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }

  async signOut() {
    await this.banner().getByRole('button', { name: '退出登录' }).click();
    await expect(this.page).toHaveURL('/login');
  }
}
