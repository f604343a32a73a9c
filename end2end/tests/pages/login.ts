import { expect, type Page } from '@playwright/test';

export type LoginKind = 'customer' | 'staff';

/** The password every demo account shares. */
export const DEMO_PASSWORD = 'Pingjia-Demo-2026';

/** The sign-in page: who is signing in, the login, the password. */
export class LoginPage {
  constructor(readonly page: Page) {}

  async open(next?: string) {
    await this.page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
    await expect(this.page.getByRole('heading', { level: 1, name: '登录' })).toBeVisible();
    await this.usePassword();
  }

  /** The page opens on the one-time code when SMS or mail is set up (the demo's are): the
   *  password form is one click away. */
  async usePassword() {
    const toPassword = this.page.getByRole('button', { name: '改用密码登录（员工请由此登录）' });
    await expect(this.password().or(toPassword)).toBeVisible();
    if (await toPassword.isVisible()) {
      await toPassword.click();
    }
    await expect(this.password()).toBeVisible();
  }

  kind(kind: LoginKind) {
    return this.page.getByRole('radio', { name: kind === 'customer' ? '客户' : '员工' });
  }

  login(kind: LoginKind) {
    return this.page.getByLabel(kind === 'customer' ? '手机号或会员号' : '工号');
  }

  password() {
    return this.page.getByLabel('密码', { exact: true });
  }

  submit() {
    return this.page.getByRole('button', { name: '登录', exact: true });
  }

  /** The form's own message: why the last sign-in failed. */
  failure() {
    return this.page.getByRole('main').getByRole('alert');
  }

  async fill(kind: LoginKind, login: string, password: string) {
    await this.usePassword();
    await this.kind(kind).check();
    await this.login(kind).fill(login);
    await this.password().fill(password);
  }

  /** Fills the form and submits it, resolving once the server has answered. */
  async attempt(kind: LoginKind, login: string, password: string) {
    await this.fill(kind, login, password);
    await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
      this.submit().click(),
    ]);
  }

  async signIn(kind: LoginKind, login: string, password = DEMO_PASSWORD) {
    await this.attempt(kind, login, password);
    await expect(this.page).not.toHaveURL(/\/login/);
  }
}

/**
 * Signs in without the form, as the API allows: the page's browser context keeps the session
 * cookie, so the next page load is signed in (specs about other pages start this way).
 */
export async function signInByApi(page: Page, kind: LoginKind, login: string) {
  const response = await page.request.post('/api/v1/auth/login', {
    data: { kind, login, password: DEMO_PASSWORD },
  });
  expect(response.ok(), `signing in ${login}`).toBeTruthy();
}
