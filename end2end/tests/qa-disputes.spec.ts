import type { APIRequestContext } from '@playwright/test';
import { test, expect, expectAccessible } from './fixtures';
import { signInByApi } from './pages/login';

// Issue 25's disputes: an agent disputes one item of an inspection with a reason, a second
// inspector (the admin; never the one who inspected) is told and changes it, the agent is told
// of the decision, and the agent's composite in the plan report follows the decided version.

type Item = { id: number; name_zh: string };
type Dimension = { id: number; items: Item[] };
type Sample = { id: number; external_id: string; agent: { id: number; no: string } };
type Notice = { event_type: string; link: string; subject: string };

/** The notifications of `kind` leading to `link` of whoever `request` is signed in as. */
async function told(request: APIRequestContext, kind: string, link: string): Promise<Notice[]> {
  const body = await (await request.get('/api/v1/me/notifications?per_page=100')).json();
  return (body.items as Notice[]).filter((n) => n.event_type === kind && n.link === link);
}
type Row = { who: { no: string }; composite: number | null; qa_score: number | null };

/** A day in the organisation's zone, `YYYY-MM-DD`. */
const day = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(d);

test('an agent disputes an item, a second inspector changes it and the composite follows', async ({ page, browser, a11y }) => {
  test.slow();
  // Q0001 plans the last week's services and inspects one, dealt to them alone.
  await signInByApi(page, 'staff', 'Q0001');
  const me = await (await page.request.get('/api/v1/auth/me')).json();
  const now = new Date();
  const created = await page.request.post('/api/v1/qa/plans', {
    headers: { 'Idempotency-Key': `e2e-dispute-${now.getTime()}` },
    data: {
      name: 'E2E 申诉', from: day(new Date(now.getTime() - 6 * 86400000)), to: day(now),
      template_id: 1, strata: [], inspector_ids: [me.id],
    },
  });
  expect(created.status()).toBe(201);
  const planId = (await created.json()).plan.id as number;
  const samples: Sample[] = (await (await page.request.get(`/api/v1/qa/plans/${planId}/samples?per_page=100`)).json()).samples;
  const reportOf = async () => (await (await page.request.get(`/api/v1/qa/plans/${planId}/report`)).json());

  // Every item compliant but the first, not compliant; the first dimension 2, the others 4.
  // The first agent (not E1012, whom auth.spec.ts locks out) whose composite shows.
  let sample: Sample | undefined;
  let wanting: Item | undefined;
  let dimensions: Dimension[] = [];
  for (const s of samples.filter((s) => s.agent.no !== 'E1012')) {
    const sheet = await (await page.request.get(`/api/v1/qa/samples/${s.id}`)).json();
    dimensions = sheet.template.dimensions;
    const items: Item[] = dimensions.flatMap((d) => d.items);
    wanting = items[0];
    const saved = await page.request.put(`/api/v1/qa/samples/${s.id}/inspection`, {
      data: {
        answers: items.map((i) => i === wanting
          ? { item_id: i.id, result: 'non_compliant', problem: '10:05 未在规定时间内首次响应' }
          : { item_id: i.id, result: 'compliant' }),
        scores: dimensions.map((d, n) => ({ dimension_id: d.id, score: n === 0 ? 2 : 4 })),
        rectifications: [{ item_id: wanting.id, owner_id: s.agent.id, deadline: sheet.default_deadline }],
      },
    });
    expect(saved.status()).toBe(200);
    const row = ((await reportOf()).agents as Row[]).find((r) => r.who.no === s.agent.no);
    if (row?.composite != null) {
      sample = s;
      break;
    }
  }
  expect(sample, 'an inspected agent with a composite').toBeDefined();
  sample = sample!;
  const before = await reportOf();
  const rowBefore = (before.agents as Row[]).find((r) => r.who.no === sample!.agent.no)!;

  // The agent disputes the item from 我的质检, with a reason.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signInByApi(agent, 'staff', sample.agent.no);
  await agent.goto('/agent/qa');
  const toggle = agent.locator(`#dispute-${sample.id}-toggle`);
  await expect(toggle).toHaveText('申诉');
  await toggle.click();
  const form = agent.getByTestId(`dispute-${sample.id}-form`);
  await expect(form).toBeVisible();
  // Nothing ticked: the form says so beside the list.
  await form.getByRole('button', { name: '提交申诉' }).click();
  await expect(form.getByText('请至少勾选一个项目。')).toBeVisible();
  await agent.locator(`#dispute-${sample.id}-item-${wanting!.id}`).check();
  await agent.locator(`#dispute-${sample.id}-item-${wanting!.id}-reason`).fill('客户 10:01 留言后我 10:03 已回复，记录时间有误');
  await expectAccessible(agent);
  await form.getByRole('button', { name: '提交申诉' }).click();
  await expect(agent.getByTestId(`dispute-${sample.id}-state`)).toHaveText('申诉待复核');
  await expect(agent.getByTestId('dispute-items')).toContainText('记录时间有误');
  await agentContext.close();

  // The inspector who inspected it sees it, without the form.
  const filed = await (await page.request.get('/api/v1/qa/disputes?status=open')).json();
  const dispute = (filed.disputes as { id: number; sample_id: number }[]).find((d) => d.sample_id === sample!.id)!;
  expect(dispute).toBeDefined();
  await page.goto(`/qa/disputes/${dispute.id}`);
  await expect(page.getByText('这是您本人做的质检，须由其他质检员或管理员复核。')).toBeVisible();
  await expect(page.getByTestId('dispute-decision-form')).toHaveCount(0);
  await a11y();

  // The admin, a second reviewer, changes it to compliant and the dimension to 4.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInByApi(admin, 'staff', 'A0001');
  // The admin, who may decide it, was told of it; its own inspector was not.
  const disputeLink = `/qa/disputes/${dispute.id}`;
  await expect.poll(async () => (await told(admin.request, 'dispute.filed', disputeLink)).length).toBe(1);
  expect(await told(page.request, 'dispute.filed', disputeLink)).toEqual([]);
  await admin.goto('/qa/disputes');
  const card = admin.getByTestId(`dispute-${dispute.id}`);
  await expect(card).toContainText(sample.agent.no);
  await card.getByRole('link', { name: /复核/ }).click();
  await expect(admin).toHaveURL(new RegExp(`/qa/disputes/${dispute.id}$`));
  await admin.locator(`#decision-${wanting!.id}-changed`).check();
  await admin.locator(`#decision-${wanting!.id}-result`).selectOption('compliant');
  await admin.locator(`#decision-${wanting!.id}-score`).selectOption('4');
  await admin.locator(`#decision-${wanting!.id}-reason`).fill('复核系统日志：10:03 已首次响应');
  await expectAccessible(admin);
  await admin.getByRole('button', { name: '提交裁定' }).click();
  await expect(admin.getByTestId('dispute-status')).toHaveText('已裁定');
  await expect(admin.getByTestId('dispute-score-change')).toBeVisible();

  // The inspection keeps both versions; the report's agent row follows the decided one.
  await admin.goto(`/qa/samples/${sample.id}`);
  await expect(admin.getByTestId('qa-versions')).toBeVisible();
  await expect(admin.getByTestId('qa-version-1')).toContainText('原始质检');
  await expect(admin.getByTestId('qa-version-2')).toContainText('申诉改判');
  await adminContext.close();

  // The agent is told of the decision; the notification leads to 我的质检, where it shows.
  const decidedContext = await browser.newContext();
  const agentAgain = await decidedContext.newPage();
  await signInByApi(agentAgain, 'staff', sample.agent.no);
  await expect.poll(async () => (await told(agentAgain.request, 'dispute.decided', '/agent/qa'))
    .filter((n) => n.subject === sample!.external_id).length).toBe(1);
  await agentAgain.goto('/notifications');
  const notice = agentAgain.getByTestId('notifications').getByRole('listitem')
    .filter({ hasText: '质检申诉已裁定' }).filter({ hasText: sample.external_id });
  await expect(notice).toHaveCount(1);
  await expect(notice.getByRole('link').first()).toHaveAttribute('href', '/agent/qa');
  await expectAccessible(agentAgain);
  await notice.getByRole('link').first().click();
  await expect(agentAgain).toHaveURL(/\/agent\/qa$/);
  await expect(agentAgain.getByTestId(`dispute-${sample.id}-state`)).toContainText('已裁定');
  await expectAccessible(agentAgain);
  await decidedContext.close();

  const after = await reportOf();
  const rowAfter = (after.agents as Row[]).find((r) => r.who.no === sample!.agent.no)!;
  // The first dimension went from 2 to 4: the inspection's QA score rises by 2 / n.
  expect(rowAfter.qa_score!).toBeGreaterThan(rowBefore.qa_score!);
  expect(rowAfter.composite!).toBeGreaterThan(rowBefore.composite!);
  await page.goto(`/qa/plans/${planId}/report`);
  const agentRow = page.getByTestId('qa-agent-table').getByRole('row').filter({ hasText: sample.agent.no });
  await expect(agentRow).toContainText(rowAfter.composite!.toFixed(2));
  await expect(page.getByTestId('qa-dispute-items')).toContainText(wanting!.name_zh);
  await a11y();
});
