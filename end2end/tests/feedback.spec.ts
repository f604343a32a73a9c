import { test, expect } from './fixtures';
import type { APIRequestContext, Browser } from '@playwright/test';
import { DEMO_PASSWORD, signInByApi } from './pages/login';
import { awaitingRecords, formDimensions } from './pages/rating';

// Issue 7's "done when": an agent sees a new evaluation appear live after a customer submits
// one in another browser context; marks its suggestion reasonable, sees the due date skip a
// weekend and a configured holiday, submits a plan; the lead acknowledges it; the low score
// creates a callback the lead completes.

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** Today's date in the organisation's zone (Asia/Shanghai, UTC+8), as a UTC-midnight Date. */
function shanghaiToday(): Date {
  const now = new Date(Date.now() + 8 * 3600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

async function signedIn(browser: Browser, kind: 'staff' | 'customer', login: string) {
  const context = await browser.newContext();
  const response = await context.request.post('/api/v1/auth/login', { data: { kind, login, password: DEMO_PASSWORD } });
  expect(response.ok(), `signing in ${login}`).toBeTruthy();
  return context;
}

type Day = { date: string; kind: string; name: string };

/**
 * Makes the days from tomorrow to the first Friday after today holidays and the weekend and
 * Monday–Wednesday after it plain: 3 working days from now then end on that Wednesday,
 * across a weekend and configured holidays, whatever day the test runs. Answers the due date
 * and a function that puts the calendar back.
 */
async function holidaysUntilFriday(admin: APIRequestContext) {
  const today = shanghaiToday();
  let friday = addDays(today, 1);
  while (friday.getUTCDay() !== 5) friday = addDays(friday, 1);
  const due = addDays(friday, 5);
  const touched = new Map<string, Day | null>();
  const existing = new Map<string, Day>();
  for (const year of new Set([today.getUTCFullYear(), due.getUTCFullYear()])) {
    const response = await admin.get(`/api/v1/calendar?year=${year}`);
    expect(response.ok()).toBeTruthy();
    for (const day of (await response.json()).days as Day[]) existing.set(day.date, day);
  }
  for (let d = addDays(today, 1); d <= due; d = addDays(d, 1)) {
    const date = iso(d);
    touched.set(date, existing.get(date) ?? null);
    const weekday = d.getUTCDay();
    if (d <= friday && weekday >= 1 && weekday <= 5) {
      const put = await admin.put(`/api/v1/calendar/${date}`, { data: { kind: 'holiday', name: 'e2e 假日' } });
      expect(put.ok(), `holiday ${date}`).toBeTruthy();
    } else if (existing.has(date)) {
      expect((await admin.delete(`/api/v1/calendar/${date}`)).ok()).toBeTruthy();
    }
  }
  const restore = async () => {
    for (const [date, day] of touched) {
      if (day) await admin.put(`/api/v1/calendar/${date}`, { data: { kind: day.kind, name: day.name } });
      else await admin.delete(`/api/v1/calendar/${date}`);
    }
  };
  return { due, friday, restore };
}

test('a new evaluation reaches the agent live, its plan is due in working days and acknowledged, the low score is called back', async ({ page, browser, a11y }) => {
  // A demo customer's awaiting record of an agent who can sign in (E1012 is locked out by the
  // throttle test).
  const customer = await signedIn(browser, 'customer', '13800000002');
  const records = (await awaitingRecords(customer.request)).filter((r) => r.agent_no !== 'E1012');
  expect(records.length).toBeGreaterThan(0);
  // The demo teams' leads; an agent another spec moved into a team of its own has none.
  const leads = new Map<string, string>();
  for (const candidate of ['L0001', 'L0002', 'L0003']) {
    const context = await signedIn(browser, 'staff', candidate);
    const me = await (await context.request.get('/api/v1/auth/me')).json();
    await context.close();
    leads.set(me.team_name as string, candidate);
  }
  let record = records[records.length - 1];
  let agentNo = '';
  let teamName = '';
  let leadNo = '';
  for (const candidate of [...records].reverse()) {
    const context = await signedIn(browser, 'staff', candidate.agent_no);
    const team = (await (await context.request.get('/api/v1/auth/me')).json()).team_name as string;
    await context.close();
    if (leads.has(team)) {
      record = candidate;
      agentNo = candidate.agent_no;
      teamName = team;
      leadNo = leads.get(team)!;
      break;
    }
  }
  expect(leadNo, `the lead of ${teamName}`).not.toBe('');
  const admin = await signedIn(browser, 'staff', 'A0001');
  const calendar = await holidaysUntilFriday(admin.request);

  try {
    // The agent has their list of evaluations open when the customer rates, in another browser
    // context.
    const login = await page.request.post('/api/v1/auth/login', { data: { kind: 'staff', login: agentNo, password: DEMO_PASSWORD } });
    expect(login.ok()).toBeTruthy();
    await page.goto('/agent/feedback');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const before = (await (await page.request.get('/api/v1/me/feedback/unread')).json()).unread as number;
    await expect(page.getByTestId('feedback-count')).toBeVisible();
    const countBefore = (await page.getByTestId('feedback-count').textContent())!;
    await a11y();

    const suggestion = `等了很久才有人回复，希望增加人手 ${Date.now()}`;
    const dimensions = await formDimensions(customer.request, record.id);
    const scores = Object.fromEntries(dimensions.map((d, i) => [d.code, i % 2 === 0 ? 2 : 3]));
    const rated = await customer.request.post('/api/v1/evaluations', {
      headers: { 'Idempotency-Key': `e2e-feedback-${record.id}-${Date.now()}` },
      data: { service_record_id: record.id, scores, overall: 4, suggestion, form_seconds: 80 },
    });
    expect(rated.status()).toBe(201);
    const number = (await rated.json()).number as string;

    // Without a reload: a toast names it and the badge counts it.
    const toast = page.getByRole('status').filter({ hasText: `新评价 ${number}` });
    await expect(toast).toBeVisible();
    await expect(page.getByRole('navigation', { name: '主导航' }).getByText(`${before + 1} 条未读评价`)).toBeAttached();
    // ... and the open list shows it, first, with the unread count of its line (issue 24).
    await expect(page.locator('article.fb-card').first()).toContainText(number);
    await expect(page.getByTestId('feedback-count')).not.toHaveText(countBefore);

    // The agent opens it from the list, judges the suggestion reasonable: a plan, due in 3
    // working days, which skip the holidays up to Friday and the weekend after.
    await page.goto('/agent/feedback?unread=true');
    const item = page.locator('li, article').filter({ hasText: number }).first();
    await expect(item).toBeVisible();
    await item.getByRole('button', { name: /查看详情/ }).click();
    await item.getByRole('button', { name: '合理，制定改进计划' }).click();
    const due = calendar.due;
    const dueText = `${iso(due)}（${WEEKDAYS[due.getUTCDay()]}）`;
    await expect(item).toContainText(dueText);
    await a11y();
    await item.getByRole('link', { name: '填写改进计划' }).click();
    await expect(page).toHaveURL(/\/agent\/plans\/\d+$/);
    const planId = Number(new URL(page.url()).pathname.split('/').pop());
    await expect(page.getByText(dueText)).toBeVisible();
    await page.getByLabel('改进措施').fill('每天复盘两通排队时间长的通话，高峰时段申请增援，周五复盘。');
    await page.getByLabel('预计完成日期').fill(iso(addDays(due, 14)));
    await page.getByRole('button', { name: '提交改进计划' }).click();
    await expect(page.getByText('改进计划已提交，等待主管审核。')).toBeVisible();
    await a11y();

    // The team lead acknowledges it from their home, then calls the customer back.
    // (Signing in as the lead replaces the agent's session in this browser.)
    const leadPage = page;
    expect((await page.request.post('/api/v1/auth/login', { data: { kind: 'staff', login: leadNo, password: DEMO_PASSWORD } })).ok()).toBeTruthy();
    await leadPage.goto(`/lead/plans/${planId}`);
    await leadPage.getByRole('button', { name: '确认计划' }).click();
    await leadPage.getByRole('dialog').getByRole('button', { name: '确认', exact: true }).click();
    await expect(leadPage.getByText('已确认这份改进计划。')).toBeVisible();
    await a11y();
    const plan = await (await leadPage.request.get(`/api/v1/improvement-plans/${planId}`)).json();
    expect(plan.status).toBe('acknowledged');

    // The open callbacks come a page at a time: the new one is due last, so the lead pages on
    // until it shows.
    await leadPage.goto('/lead');
    const callbacks = leadPage.getByTestId('callbacks');
    const task = callbacks.locator('article').filter({ hasText: number });
    for (let page = 1; ; page++) {
      await expect(callbacks.locator('.pager-position')).toContainText(`第 ${page} /`);
      expect(await callbacks.locator('article').count()).toBeLessThanOrEqual(10);
      if (await task.isVisible()) break;
      expect(page, 'the new callback is on one of the pages').toBeLessThan(20);
      await callbacks.getByRole('link', { name: '下一页' }).click();
      await expect(leadPage).toHaveURL(new RegExp(`callbacks_page=${page + 1}#callbacks$`));
    }
    await task.getByRole('button', { name: '记录回访' }).click();
    const dialog = leadPage.getByRole('dialog');
    await dialog.getByRole('radio', { name: '已解决' }).check();
    await dialog.getByLabel('回访记录').fill('已致电客户致歉，高峰时段已加派人手，客户表示理解。');
    await dialog.getByRole('button', { name: '保存回访记录' }).click();
    await expect(leadPage.getByText('回访已记录。')).toBeVisible();
    await a11y();
    type Page = { callbacks: { evaluation_number: string; outcome: string | null }[] };
    const open: Page = await (await leadPage.request.get('/api/v1/callbacks?per_page=100')).json();
    expect(open.callbacks.map((c) => c.evaluation_number)).not.toContain(number);
    const done: Page = await (await leadPage.request.get('/api/v1/callbacks?open=false&per_page=100')).json();
    expect(done.callbacks.find((c) => c.evaluation_number === number)!.outcome).toBe('resolved');
  } finally {
    await calendar.restore();
    await admin.close();
    await customer.close();
  }
});

test("someone else's improvement plan says it is not the agent's, with no retry that cannot help", async ({ page, a11y }) => {
  // A plan of another agent, as the admin sees it.
  await signInByApi(page, 'staff', 'A0001');
  const plans = await (await page.request.get('/api/v1/improvement-plans')).json();
  const plan = (plans as { id: number; agent_no: string }[]).find((p) => p.agent_no !== 'E1001');
  expect(plan, 'the demo has plans of other agents').toBeTruthy();
  await signInByApi(page, 'staff', 'E1001');
  await page.goto(`/agent/plans/${plan!.id}`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('这不是您可以查看的内容');
  await expect(alert.getByRole('button')).toHaveCount(0);
  await a11y();
});

/** `d` as a `datetime-local` input's value in the browser's zone (Asia/Shanghai, UTC+8). */
function localInput(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}

test('a call nobody answers keeps the callback open with its attempt count and the next attempt', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'L0001');
  await page.goto('/lead');
  const callbacks = page.getByTestId('callbacks');
  await expect(callbacks.getByTestId('callbacks-tab-open')).toHaveAttribute('aria-current', 'page');
  // A task nobody has tried yet.
  const task = callbacks.locator('article').filter({ hasNot: page.getByTestId('callback-attempts') }).first();
  const number = (await task.locator('h3').innerText()).trim();
  await task.getByRole('button', { name: '记录回访' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: '未接通' }).check();
  // Notes may be left empty; the next attempt is offered and required.
  const next = dialog.getByLabel('下次尝试时间');
  await expect(next).not.toHaveValue('');
  await next.fill('');
  await dialog.getByRole('button', { name: '保存回访记录' }).click();
  const message = dialog.getByText('请选择下次尝试的时间。');
  await expect(message).toBeVisible();
  await expect(next).toHaveAttribute('aria-invalid', 'true');
  await a11y();
  // The message goes as soon as the field is right, before saving again.
  const at = new Date(Date.now() + 3 * 3600_000);
  await next.fill(localInput(at));
  await expect(message).toBeHidden();
  await expect(next).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: '保存回访记录' }).click();
  await expect(callbacks.getByRole('status')).toContainText('回访已记录。');
  // Still to call, with its attempt and the next attempt's time.
  const card = callbacks.locator('article').filter({ hasText: number });
  await expect(card).toBeVisible();
  await expect(card.getByTestId('callback-attempts')).toHaveText('已尝试 1 次（最多 3 次）');
  await expect(card).toContainText('未接通');
  await expect(card).toContainText('下次尝试');
  await expect(card.getByRole('button', { name: '记录回访' })).toBeVisible();
  await a11y();
  const open = await (await page.request.get('/api/v1/callbacks?per_page=100')).json();
  const stored = open.callbacks.find((c: { evaluation_number: string }) => c.evaluation_number === number);
  expect(stored.outcome).toBeNull();
  expect(stored.attempts).toHaveLength(1);
  expect(new Date(stored.due_at).getTime()).toBe(Math.floor(at.getTime() / 60_000) * 60_000);
});
