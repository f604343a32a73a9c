import { expect as baseExpect, type APIRequestContext, type Browser } from '@playwright/test';
import { test, expect } from './fixtures';
import { DEMO_PASSWORD, signInByApi } from './pages/login';
import { awaitingRecords, formDimensions } from './pages/rating';

// The notification centre (issue 21): the team lead L0001 has the bell in the top bar; a
// customer rates a service of an agent of the lead's team 1 star and, without a reload, the
// bell counts the new callback and the lead's callbacks list shows it with its due time; the
// notification list shows it with its due time, and opening it leads to the callbacks and
// marks it read. Then the lead turns a kind off in the settings and it stays off.

const LEAD = 'L0001';
/** The agents of L0001's team (华东一组) in the demo data. */
const TEAM = ['E1001', 'E1002', 'E1003', 'E1004', 'E1005', 'E1006'];
const CUSTOMERS = ['13800000001', '13800000002'];

async function customerContext(browser: Browser, login: string) {
  const context = await browser.newContext();
  const response = await context.request.post('/api/v1/auth/login', {
    data: { kind: 'customer', login, password: DEMO_PASSWORD },
  });
  baseExpect(response.ok(), `signing in ${login}`).toBeTruthy();
  return context;
}

/** Rates, 1 star, a service of one of the lead's agents as a demo customer: its number. */
async function rateOneStar(browser: Browser): Promise<string> {
  for (const login of CUSTOMERS) {
    const context = await customerContext(browser, login);
    try {
      const record = (await awaitingRecords(context.request)).find((r) => TEAM.includes(r.agent_no));
      if (!record) continue;
      const dimensions = await formDimensions(context.request, record.id);
      const response = await context.request.post('/api/v1/evaluations', {
        headers: { 'Idempotency-Key': `e2e-notify-${record.id}-${Date.now()}` },
        data: {
          service_record_id: record.id,
          scores: Object.fromEntries(dimensions.map((d) => [d.code, 1])),
          overall: 1,
          suggestion: '一直没人处理我的问题。',
          form_seconds: 60,
        },
      });
      baseExpect(response.status(), `rating record ${record.id}`).toBe(201);
      return (await response.json()).number as string;
    } finally {
      await context.close();
    }
  }
  throw new Error(`no awaiting record of ${TEAM.join(', ')}`);
}

async function unreadOf(request: APIRequestContext): Promise<number> {
  const response = await request.get('/api/v1/me/notifications?per_page=1');
  baseExpect(response.ok()).toBeTruthy();
  return (await response.json()).unread as number;
}

/** A time as the app writes it in the tests' zone (Asia/Shanghai): `YYYY-MM-DD HH:MM`. */
function shanghai(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

const bellName = (unread: number) => (unread > 0 ? `通知，${unread} 条未读` : '通知');

test('a low score reaches the lead live: the bell counts it, the callbacks show it, the list opens it and marks it read', async ({ page, browser, a11y }) => {
  await signInByApi(page, 'staff', LEAD);
  await page.goto('/lead');
  const before = await unreadOf(page.request);
  const openBefore = (await (await page.request.get('/api/v1/callbacks')).json()).open;
  await expect(page.getByTestId('callbacks-tab-open')).toHaveText(`待回访 ${openBefore}`);
  const bell = page.getByRole('banner').getByRole('link', { name: bellName(before), exact: true });
  await expect(bell).toBeVisible();
  await a11y();

  const number = await rateOneStar(browser);

  // Live: the bell counts it, a toast names it, the callbacks list shows it with its due time.
  await expect(page.getByRole('banner').getByRole('link', { name: bellName(before + 1), exact: true })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `新回访任务：${number}` })).toBeVisible();
  const list = await (await page.request.get('/api/v1/me/notifications?unread_only=true')).json();
  const notification = list.items.find((n: { subject: string }) => n.subject === number);
  expect(notification?.event_type).toBe('callback.opened');
  expect(notification.due_at).toBeTruthy();
  // The callbacks (a page at a time, due soonest first: the new one may be on a later page)
  // count it at once.
  await expect(page.getByTestId('callbacks-tab-open')).toHaveText(`待回访 ${openBefore + 1}`);

  // The list: the kind in words (never its code), the number, the due time, unread.
  await page.getByRole('banner').getByRole('link', { name: bellName(before + 1), exact: true }).click();
  await expect(page).toHaveURL(/\/notifications$/);
  const item = page.getByTestId('notifications').getByRole('listitem').filter({ hasText: number });
  await expect(item).toContainText('新回访任务');
  await expect(item).not.toContainText('callback.opened');
  await expect(item).toContainText(`截止 ${shanghai(notification.due_at)}`);
  await expect(item).toContainText('未读');
  await a11y();

  // The unread filter is in the address.
  await page.getByRole('group', { name: '显示' }).getByRole('link', { name: '未读' }).click();
  await expect(page).toHaveURL(/\/notifications\?unread=true$/);
  await expect(item).toBeVisible();

  // Opening it leads to the callbacks and marks it read.
  await item.getByRole('link', { name: `新回访任务 · ${number}` }).click();
  await expect(page).toHaveURL(new RegExp(`/lead\\?callback=${number}#callbacks$`));
  const task = page.getByTestId('callbacks').locator('article').filter({ hasText: number });
  await expect(task).toBeVisible();
  await expect(task).toContainText('回访截止');
  await expect(page.getByTestId('callbacks').locator('article')).toHaveCount(1);
  await expect(page.getByTestId('callbacks-one')).toContainText(number);
  await expect(page.getByRole('banner').getByRole('link', { name: bellName(before), exact: true })).toBeVisible();
  const after = await (await page.request.get('/api/v1/me/notifications')).json();
  expect(after.items.find((n: { id: number }) => n.id === notification.id).read_at).toBeTruthy();
});

test('a kind turned off in the settings stays off after a reload', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', LEAD);
  const saved = await (await page.request.get('/api/v1/me/notification-settings')).json();
  try {
    await page.goto('/notifications/settings');
    const inApp = page.getByRole('switch', { name: '报告已生成 · 应用内' });
    await expect(inApp).toBeChecked();
    // Without an address on the account, e-mail cannot be turned on, and the page says why.
    if (!saved.email_to) {
      await expect(page.getByRole('switch', { name: '报告已生成 · 邮件' })).toBeDisabled();
      await expect(page.getByText('请联系管理员添加您的邮箱地址')).toBeVisible();
    }
    await a11y();
    await inApp.uncheck();
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();

    await page.reload();
    await expect(page.getByRole('switch', { name: '报告已生成 · 应用内' })).not.toBeChecked();
    await expect(page.getByRole('switch', { name: '新回访任务 · 应用内' })).toBeChecked();
  } finally {
    await page.request.put('/api/v1/me/notification-settings', { data: { kinds: saved.kinds } });
  }
});
