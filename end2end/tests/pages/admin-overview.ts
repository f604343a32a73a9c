import { expect, type Page } from '@playwright/test';

/** The admin overview with the service-volume chart. */
export class AdminOverview {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto('/admin');
    await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible();
  }

  chart(name: string | RegExp) {
    return this.page.getByRole('img', { name });
  }
}
