import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { signInByApi } from './pages/login';

// Issue 25's leftovers on the lead's side: the lead finds an agent's inspection in their team's
// list (what may still be disputed first) and disputes an item for the agent with the agent's
// form; and a coaching session's page leads to the QA report before and after it.

type Item = { id: number };
type Dimension = { id: number; items: Item[] };
type Sample = { id: number; external_id: string; agent: { id: number; no: string; name: string } };
type Person = { id: number; no: string };

/** A day in the organisation's zone, `YYYY-MM-DD`, `days` from now. */
const day = (days = 0) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' })
  .format(new Date(Date.now() + days * 86_400_000));

/** Q0001 plans the last week's services and inspects one of an agent of `agents` (not E1012,
 *  whom auth.spec.ts locks out): every item compliant but the first, not compliant. */
async function inspectOneOf(qa: Page, agents: Person[], name: string) {
  await signInByApi(qa, 'staff', 'Q0001');
  const me = await (await qa.request.get('/api/v1/auth/me')).json();
  const created = await qa.request.post('/api/v1/qa/plans', {
    headers: { 'Idempotency-Key': `e2e-team-${Date.now()}-${Math.random()}` },
    data: {
      name, from: day(-6), to: day(), template_id: 1, strata: [], inspector_ids: [me.id],
    },
  });
  expect(created.status()).toBe(201);
  const planId = (await created.json()).plan.id as number;
  const samples: Sample[] = (await (await qa.request.get(`/api/v1/qa/plans/${planId}/samples?per_page=100`)).json()).samples;
  const ids = new Set(agents.map((a) => a.id));
  const sample = samples.find((s) => ids.has(s.agent.id) && s.agent.no !== 'E1012');
  expect(sample, 'a sampled record of the lead\'s team').toBeDefined();
  const sheet = await (await qa.request.get(`/api/v1/qa/samples/${sample!.id}`)).json();
  const dimensions: Dimension[] = sheet.template.dimensions;
  const items = dimensions.flatMap((d) => d.items);
  const saved = await qa.request.put(`/api/v1/qa/samples/${sample!.id}/inspection`, {
    data: {
      answers: items.map((i, n) => n === 0
        ? { item_id: i.id, result: 'non_compliant', problem: '10:05 未在规定时间内首次响应' }
        : { item_id: i.id, result: 'compliant' }),
      scores: dimensions.map((d, n) => ({ dimension_id: d.id, score: n === 0 ? 2 : 4 })),
      rectifications: [{ item_id: items[0].id, owner_id: sample!.agent.id, deadline: sheet.default_deadline }],
    },
  });
  expect(saved.status()).toBe(200);
  return { planId, sample: sample!, item: items[0], inspectionId: (await saved.json()).id as number };
}

test('a team lead disputes an item for their agent from the team\'s inspections', async ({ page, browser, a11y }) => {
  test.slow();
  await signInByApi(page, 'staff', 'L0001');
  const team = await (await page.request.get('/api/v1/team/qa/inspections?per_page=1')).json();
  const qaContext = await browser.newContext();
  const { sample, item } = await inspectOneOf(await qaContext.newPage(), team.agents, 'E2E 代申诉');
  await qaContext.close();

  // From the lead's home to the team's list; the agent and today's inspections.
  await page.goto('/lead');
  await a11y();
  await page.getByTestId('lead-team-qa').getByRole('link', { name: '查看团队质检结果' }).click();
  await expect(page).toHaveURL(/\/lead\/qa\/team$/);
  await expect(page.getByRole('heading', { level: 1, name: '团队质检' })).toBeVisible();
  await page.getByLabel('服务人员').selectOption(String(sample.agent.id));
  await page.getByLabel('质检日期起').fill(day());
  await page.getByRole('button', { name: '筛选' }).click();
  await expect(page).toHaveURL(new RegExp(`agent_id=${sample.agent.id}`));
  await page.getByRole('navigation', { name: '是否可申诉' }).getByRole('link', { name: /可申诉/ }).click();
  await expect(page).toHaveURL(/disputable=true/);
  const card = page.getByTestId(`team-inspection-${sample.id}`);
  await expect(card).toContainText(sample.external_id);
  await expect(card.getByTestId(`team-inspection-${sample.id}-window`)).toContainText('可申诉至');
  await a11y();

  // The agent's own form, filed by the lead.
  await card.locator(`#dispute-${sample.id}-toggle`).click();
  const form = card.getByTestId(`dispute-${sample.id}-form`);
  await expect(form).toBeVisible();
  await card.locator(`#dispute-${sample.id}-item-${item.id}`).check();
  await card.locator(`#dispute-${sample.id}-item-${item.id}-reason`).fill('客户 10:01 留言后 10:03 已回复，记录时间有误');
  await a11y();
  await form.getByRole('button', { name: '提交申诉' }).click();
  await expect(card.getByTestId(`dispute-${sample.id}-state`)).toHaveText('申诉待复核');
  await expect(card.getByTestId('dispute-items')).toContainText('记录时间有误');

  // Filed by the lead for the agent; no longer disputable, so off the tab once reloaded.
  const form2 = await (await page.request.get(`/api/v1/me/qa/samples/${sample.id}/dispute`)).json();
  expect(form2.dispute.filed_by.no).toBe('L0001');
  expect(form2.dispute.agent.id).toBe(sample.agent.id);
  await page.reload();
  await expect(page.getByTestId(`team-inspection-${sample.id}`)).toHaveCount(0);
  await a11y();
});

test('a coaching session leads its lead to the QA report before and after it', async ({ page, browser, a11y }) => {
  test.slow();
  await signInByApi(page, 'staff', 'L0001');
  const team = await (await page.request.get('/api/v1/team/qa/inspections?per_page=1')).json();
  const qaContext = await browser.newContext();
  const { planId, sample, inspectionId } = await inspectOneOf(await qaContext.newPage(), team.agents, 'E2E 辅导对比');
  await qaContext.close();

  // The lead records a session from that inspection.
  const recorded = await page.request.post('/api/v1/coaching', {
    data: {
      source: { kind: 'inspection', reference: String(inspectionId) },
      discussion: '首次响应超时，讨论了转交后的告知话术。', action: '转交后十分钟内告知客户进度',
      follow_up_date: day(7),
    },
  });
  expect(recorded.status()).toBe(201);
  const session = (await recorded.json()).id as number;

  await page.goto(`/coaching/${session}`);
  const link = page.getByTestId('coaching-qa-report');
  await expect(link).toHaveAttribute('href', `/lead/qa/plans/${planId}/report?coaching=${session}`);
  await a11y();
  await link.click();
  await expect(page).toHaveURL(new RegExp(`/lead/qa/plans/${planId}/report\\?coaching=${session}$`));
  await expect(page.getByTestId('qa-coaching-anchor')).toContainText(`(${sample.agent.no})`);
  // Before: at least the inspection just saved; after: not yet, and when.
  const windows = page.getByTestId('qa-anchor-windows');
  await expect(windows).toContainText('辅导前');
  await expect(windows).toContainText(/\d+ 次质检/);
  await expect(page.getByTestId('qa-anchor-pending')).toContainText(day(30));
  await expect(page.getByTestId('qa-agent-table')).toHaveCount(0);
  await a11y();
  await page.getByRole('link', { name: '← 辅导记录' }).click();
  await expect(page).toHaveURL(new RegExp(`/coaching/${session}$`));
});
