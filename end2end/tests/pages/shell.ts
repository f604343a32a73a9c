import { expect, type Page } from '@playwright/test';

export type Lang = 'zh-CN' | 'en';

/** The app shell every page shares: top bar, navigation, language switch. */
export class Shell {
  constructor(readonly page: Page) {}

  async open(path = '/') {
    await this.page.goto(path);
    await expect(this.page.getByRole('main')).toBeVisible();
  }

  nav() {
    return this.page.getByRole('navigation').first();
  }

  async switchLanguage(to: Lang) {
    await this.page.getByRole('button', { name: to === 'en' ? 'English' : '中文' }).click();
    await expect(this.page.locator('html')).toHaveAttribute('lang', to);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 });
  }
}
