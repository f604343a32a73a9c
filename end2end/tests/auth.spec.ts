import { test, expect } from './fixtures';
import { LoginPage, DEMO_PASSWORD, signInByApi, type LoginKind } from './pages/login';
import { Shell } from './pages/shell';

type DemoRole = {
  role: string;
  kind: LoginKind;
  login: string;
  name: string;
  home: string;
  heading: string;
  /** The home's link in the navigation, when it differs from the heading. */
  navLink?: string;
  /** Another role's page, and an endpoint this role may not call (admins may call them all). */
  otherPage: string;
  otherApi: string | null;
};

const roles: DemoRole[] = [
  { role: 'admin', kind: 'staff', login: 'A0001', name: '梁志远', home: '/admin', heading: '管理概览', otherPage: '/customer', otherApi: null },
  { role: 'team lead', kind: 'staff', login: 'L0001', name: '林晓峰', home: '/lead', heading: '我的团队', otherPage: '/admin/users', otherApi: '/api/v1/users' },
  { role: 'QA inspector', kind: 'staff', login: 'Q0001', name: '罗文静', home: '/qa', heading: '质检工作台', navLink: '质检首页', otherPage: '/agent', otherApi: '/api/v1/teams' },
  { role: 'agent', kind: 'staff', login: 'E1001', name: '张伟', home: '/agent', heading: '我的服务反馈', otherPage: '/lead', otherApi: '/api/v1/stats/service-volume?days=90' },
  { role: 'customer', kind: 'customer', login: '13800000001', name: '李明', home: '/customer', heading: '待评价的服务', navLink: '待评价', otherPage: '/admin', otherApi: '/api/v1/users' },
];

for (const r of roles) {
  test(`the ${r.role} signs in to their home, is kept out of other roles' pages and signs out`, async ({ page, a11y }) => {
    const form = new LoginPage(page);
    const shell = new Shell(page);
    await form.open();
    await a11y();
    await form.signIn(r.kind, r.login);

    await expect(page).toHaveURL(r.home);
    await expect(shell.heading()).toHaveText(r.heading);
    await expect(shell.banner()).toContainText(r.name);
    await expect(shell.nav().getByRole('link', { name: r.navLink ?? r.heading, exact: true })).toBeVisible();
    await a11y();

    // Another role's page: a real access-denied page at that address.
    await page.goto(r.otherPage);
    await expect(shell.heading()).toHaveText('无权访问');
    await expect(page).toHaveURL(r.otherPage);
    await a11y();
    if (r.otherApi) {
      // The request context shares the page's session cookie.
      const denied = await page.request.get(r.otherApi);
      expect(denied.status()).toBe(403);
    }
    await page.getByRole('link', { name: '返回我的主页' }).click();
    await expect(page).toHaveURL(r.home);

    await shell.signOut();
    await expect(page.getByRole('main').getByRole('status')).toHaveText('您已退出登录。');
    expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
    // The home page now asks to sign in first, and would come back afterwards.
    await page.goto(r.home);
    await expect(page).toHaveURL(`/login?next=${encodeURIComponent(r.home)}`);
    await expect(shell.heading()).toHaveText('登录');
  });
}

test('a wrong password says so clearly and keeps the login', async ({ page, a11y }) => {
  const form = new LoginPage(page);
  await form.open();
  await form.attempt('customer', '13800000001', 'not-the-password');
  await expect(form.failure()).toHaveText('账号或密码错误。');
  await expect(form.login('customer')).toHaveValue('13800000001');
  await expect(page).toHaveURL('/login');
  await a11y();
});

test('the sixth rapid wrong password for one account is throttled', async ({ page }) => {
  // An account no other test signs in with: the throttle lasts for the rest of the run.
  const form = new LoginPage(page);
  await form.open();
  for (let attempt = 1; attempt <= 5; attempt++) {
    await form.attempt('staff', 'E1012', `wrong-password-${attempt}`);
    await expect(form.failure()).toHaveText('账号或密码错误。');
  }
  await form.attempt('staff', 'E1012', `wrong-password-6`);
  await expect(form.failure()).toHaveText('尝试次数过多，请在 15 分钟后再试。');
  // Even the right password waits now.
  await form.attempt('staff', 'E1012', DEMO_PASSWORD);
  await expect(form.failure()).toHaveText('尝试次数过多，请在 15 分钟后再试。');
});

test('signing in from a protected address returns there', async ({ page, a11y }) => {
  await page.goto('/admin/users?q=E1001');
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/admin/users?q=E1001')}`);
  await a11y();
  const form = new LoginPage(page);
  await form.signIn('staff', 'A0001');
  await expect(page).toHaveURL('/admin/users?q=E1001');
  await expect(page.getByRole('table', { name: '用户列表' }).getByRole('row', { name: /张伟/ })).toBeVisible();
  await a11y();
});

test('a return address on another site is ignored', async ({ page, a11y }) => {
  const form = new LoginPage(page);
  await form.open('//evil.example/steal');
  await a11y();
  await form.signIn('staff', 'Q0001');
  await expect(page).toHaveURL('/qa');
});

test('a user changes their own password from the top bar', async ({ page, a11y }) => {
  // An account of its own, so the demo passwords stay as they are.
  await signInByApi(page, 'staff', 'A0001');
  const created = await page.request.post('/api/v1/users', {
    data: { role: 'agent', display_name: '改密坐席', employee_no: 'E9301', password: 'Lantern-Harbor-Quietly-42' },
  });
  expect(created.status()).toBe(201);
  expect((await page.request.post('/api/v1/auth/logout')).status()).toBe(204);

  const form = new LoginPage(page);
  await form.open();
  await a11y();
  await form.attempt('staff', 'E9301', 'Lantern-Harbor-Quietly-42');
  await expect(page).toHaveURL('/agent');
  await page.getByRole('banner').getByRole('link', { name: '修改密码' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '修改密码' })).toBeVisible();

  const current = page.getByLabel('当前密码');
  const fresh = page.getByLabel('新密码', { exact: true });
  const again = page.getByLabel('再次输入新密码');
  const submit = page.getByRole('button', { name: '修改密码' });

  // The server says the current password is wrong, beside that field.
  await current.fill('not-my-password');
  await fresh.fill('Violet-Canyon-Drifts-77');
  await again.fill('Violet-Canyon-Drifts-77');
  await submit.click();
  await expect(page.getByText('当前密码不正确。')).toBeVisible();
  await expect(current).toBeFocused();
  await a11y();

  // The app checks the shape and the confirmation before asking.
  await current.fill('Lantern-Harbor-Quietly-42');
  await fresh.fill('short');
  await again.fill('shorter');
  await submit.click();
  await expect(page.getByText('至少需要 10 个字符。')).toBeVisible();
  await expect(page.getByText('两次输入的新密码不一致。')).toBeVisible();

  await fresh.fill('Violet-Canyon-Drifts-77');
  await again.fill('Violet-Canyon-Drifts-77');
  await submit.click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText('密码已修改。您在其他设备上的登录已退出。');
  await expect(current).toHaveValue('');

  await page.getByRole('banner').getByRole('button', { name: '退出登录' }).click();
  await form.attempt('staff', 'E9301', 'Violet-Canyon-Drifts-77');
  await expect(page).toHaveURL('/agent');
});
