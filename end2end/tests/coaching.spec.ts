import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { signInByApi } from './pages/login';

// Issue 25's coaching: a team lead records a coaching session from one of their team's
// evaluations (a low score's callback on their home); the agent is told (the bell counts it,
// the notification list opens it), finds it first in their list and acknowledges it; the lead
// is told of the acknowledgement and sees it acknowledged in the team's list, filtered in the
// address.

type Notice = { id: number; event_type: string; link: string; read_at: string | null };

/** The caller's notifications of `kind` leading to `link`, and their unread count. */
async function noticesOf(page: Page, kind: string, link: string) {
  const body = await (await page.request.get('/api/v1/me/notifications?per_page=100')).json();
  const items = (body.items as Notice[]).filter((n) => n.event_type === kind && n.link === link);
  return { items, unread: body.unread as number };
}

/** A day `days` after today in the organisation's zone (UTC+8), `YYYY-MM-DD`. */
function shanghaiDay(days: number): string {
  const now = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  return now.toISOString().slice(0, 10);
}

test('a lead records a coaching session that the agent acknowledges', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'L0001');
  await page.goto('/lead');
  await expect(page.getByTestId('coaching-glance')).toBeVisible();
  const card = page.getByTestId('callbacks').locator('article').first();
  await expect(card).toBeVisible();
  await a11y();

  // From the evaluation: the form names its agent.
  await card.getByTestId('callback-coach').click();
  await expect(page).toHaveURL(/\/coaching\/new\?source_kind=evaluation&source_ref=/);
  const agent = page.getByTestId('coaching-form-agent');
  await expect(agent).toContainText('(');
  const agentNo = /\(([A-Za-z0-9]+)\)/.exec(await agent.innerText())![1];
  await expect(page.getByTestId('coaching-form-source')).toContainText('客户评价');
  await a11y();

  // Nothing typed: each field says what it needs, and nothing is sent.
  await page.getByTestId('coaching-submit').click();
  await expect(page.getByText('请填写讨论内容')).toBeVisible();
  await expect(page.getByText('请填写约定的改进行动')).toBeVisible();
  await expect(page).toHaveURL(/\/coaching\/new/);

  await page.getByLabel('讨论内容').fill('回访中客户提到等待太久，讨论了主动告知处理进度的做法。');
  await page.getByLabel('服务态度').check();
  await page.getByLabel('约定的改进行动').fill('每次转交后十分钟内主动告知客户进度');
  await page.getByLabel('跟进日期').fill(shanghaiDay(7));
  await page.getByLabel('约定的改进行动').press('Enter').catch(() => undefined);
  await page.getByTestId('coaching-submit').click();
  await expect(page).toHaveURL(/\/coaching\/\d+$/);
  const id = /\/coaching\/(\d+)$/.exec(page.url())![1];
  await expect(page.getByTestId('coaching-state')).toHaveText('待确认');
  await expect(page.getByTestId('coaching-targets')).toContainText('服务态度');
  await expect(page.getByTestId('coaching-comparison')).toBeVisible();
  await a11y();

  // The agent is told: the bell counts it, the list names it and opens it (marking it read).
  await signInByApi(page, 'staff', agentNo);
  await expect.poll(async () => (await noticesOf(page, 'coaching.recorded', `/coaching/${id}`)).items.length).toBe(1);
  await page.goto('/coaching');
  const row = page.getByTestId(`coaching-row-${id}`);
  await expect(row.getByTestId('coaching-state')).toHaveText('待确认');
  await a11y();
  const bell = page.getByRole('banner').getByRole('link', { name: /^通知，\d+ 条未读$/ });
  await expect(bell).toBeVisible();
  await bell.click();
  await expect(page).toHaveURL(/\/notifications$/);
  const notice = page.getByTestId('notifications').getByRole('listitem')
    .filter({ has: page.locator(`a[href="/coaching/${id}"]`) });
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText('新辅导记录');
  await expect(notice).toContainText(`林晓峰 · ${shanghaiDay(0)}`);
  await expect(notice).toContainText(`截止 ${shanghaiDay(7)} 00:00`);
  await expect(notice).toContainText('未读');
  await a11y();
  await notice.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/coaching/${id}$`));
  await expect.poll(async () => (await noticesOf(page, 'coaching.recorded', `/coaching/${id}`)).items[0].read_at).toBeTruthy();
  await page.getByLabel('留言').fill('明白，会按约定执行。');
  await page.getByTestId('coaching-acknowledge').click();
  await expect(page.getByTestId('coaching-announcement')).toHaveText('已确认辅导记录。');
  await expect(page.getByTestId('coaching-state')).toHaveText('已确认');
  await expect(page.getByTestId('coaching-comment')).toContainText('明白，会按约定执行。');

  // The lead is told of the acknowledgement, and sees it acknowledged, filtered by state and
  // agent in the address.
  await signInByApi(page, 'staff', 'L0001');
  await expect.poll(async () => (await noticesOf(page, 'coaching.acknowledged', `/coaching/${id}`)).items.length).toBe(1);
  await page.goto('/coaching');
  await page.getByRole('link', { name: /^已确认/ }).click();
  await expect(page).toHaveURL(/state=acknowledged/);
  await page.getByLabel('服务人员').selectOption(agentNo);
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(new RegExp(`agent_no=${agentNo}`));
  await expect(page.getByTestId(`coaching-row-${id}`).getByTestId('coaching-state')).toHaveText('已确认');
  await a11y();
  await page.getByTestId(`coaching-row-${id}`).getByRole('link', { name: '查看' }).click();
  await expect(page.getByTestId('coaching-comment')).toContainText('明白，会按约定执行。');
  await expect(page.getByTestId('coaching-follow-up-done')).toBeVisible();
});
