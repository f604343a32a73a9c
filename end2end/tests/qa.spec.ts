import { test, expect, expectAccessible } from './fixtures';
import { signInByApi } from './pages/login';

// Issue 10's "done when": an inspector creates a plan, the sample respects the floors on the
// demo data, they inspect a record with one non-compliant item and assign its rectification,
// the owner reports it done, the inspector re-checks it, and the report shows the composite and
// the radar.

/** n = min(N, max(ceil(10 % of N), 30)). */
const floor = (n: number) => Math.min(n, Math.max(Math.ceil(n / 10), 30));

type Stratum = { population: number; sample: number };
type Item = { id: number; name_zh: string };
type Dimension = { id: number; name_zh: string; items: Item[] };

test('an inspector samples, inspects, assigns a rectification the owner reports and the inspector re-checks; the report shows the composite and the radar', async ({ page, browser, a11y }) => {
  // The whole QA cycle, as four people, in one test: it takes longer than one page's flow.
  test.slow();
  await signInByApi(page, 'staff', 'Q0001');
  await page.goto('/qa');
  await expect(page.getByRole('heading', { level: 1, name: '质检工作台' })).toBeVisible();
  await a11y();
  await page.getByRole('link', { name: '新建检测计划' }).click();
  await expect(page).toHaveURL(/\/qa\/plans\/new$/);

  // The last 30 days by default, every record in scope, stratified by type and customer type,
  // dealt to Q0001 alone.
  await page.locator('#plan-name').fill('E2E 抽检');
  // The services that come with a conversation (the demo's online chats and phone follow-ups
  // carry transcripts), so the record inspected below has one beside the checklist.
  const types = page.getByRole('group', { name: '服务类型', exact: true });
  await types.getByLabel('在线客服咨询').check();
  await types.getByLabel('电话回访服务').check();
  const strata = page.getByRole('group', { name: '分层依据' });
  await strata.getByLabel('服务类型').check();
  await strata.getByLabel('客户类型').check();
  const inspectors = page.getByRole('group', { name: '质检员' }).getByRole('checkbox');
  for (const box of await inspectors.all()) {
    const label = (await box.evaluate((el) => el.closest('label')?.textContent ?? '')) || '';
    if (label.includes('Q0001')) await box.check();
    else await box.uncheck();
  }
  await a11y();
  await page.getByTestId('qa-plan-submit').click();
  await expect(page).toHaveURL(/\/qa\/plans\/\d+$/);
  const planId = Number(new URL(page.url()).pathname.split('/').pop());

  // Every stratum holds its floor; the table shows the same totals.
  const plan = await (await page.request.get(`/api/v1/qa/plans/${planId}`)).json();
  const drawn = plan.strata as Stratum[];
  expect(drawn.length).toBeGreaterThan(3);
  for (const s of drawn) expect(s.sample, `N = ${s.population}`).toBe(floor(s.population));
  const total = drawn.reduce((sum, s) => sum + s.sample, 0);
  // The plan carries the first page of its records; the rest are a page away.
  expect(plan.plan.sample_count).toBe(total);
  expect(plan.samples).toHaveLength(Math.min(total, 25));
  const table = page.getByTestId('qa-strata-table');
  await expect(table.getByRole('row').last()).toContainText(String(total));
  await a11y();

  // Inspect a sampled record that came with its conversation (the demo's online chats carry a
  // transcript): every item compliant but the second, not compliant. Its agent signs in below,
  // so not E1012, whom the throttle test in auth.spec.ts locks out.
  type Sample = { id: number; agent: { id: number; no: string } };
  let sample: Sample | undefined;
  let lines: string[] = [];
  // Every record of the plan, in the order its page lists them (the server pages them).
  const samples: Sample[] = [];
  for (let n = 1; ; n++) {
    const got = await (await page.request.get(`/api/v1/qa/plans/${planId}/samples?per_page=100&page=${n}`)).json();
    samples.push(...(got.samples as Sample[]));
    if (got.samples.length < 100) break;
  }
  expect(samples).toHaveLength(total);
  for (const s of samples.filter((s) => s.agent.no !== 'E1012')) {
    const candidate = await (await page.request.get(`/api/v1/qa/samples/${s.id}`)).json();
    if (candidate.conversation.lines.length > 1) {
      sample = s;
      lines = candidate.conversation.lines;
      break;
    }
  }
  expect(sample, 'a sampled record with a transcript').toBeDefined();
  sample = sample!;
  // The plan's page lists 25 records a page: go to the one that holds it.
  const at = Math.floor(samples.findIndex((s) => s.id === sample!.id) / 25) + 1;
  if (at > 1) await page.goto(`/qa/plans/${planId}?page=${at}`);
  await expect(page.getByTestId(`qa-sample-${sample.id}`)).toBeVisible();
  await page.getByTestId(`qa-sample-${sample.id}`).getByRole('link', { name: /检查/ }).click();
  await expect(page).toHaveURL(new RegExp(`/qa/samples/${sample.id}$`));
  const sheet = await (await page.request.get(`/api/v1/qa/samples/${sample.id}`)).json();
  const dimensions = sheet.template.dimensions as Dimension[];
  const items = dimensions.flatMap((d) => d.items);
  const wanting = items[1];
  // The transcript is read beside the checklist, at the same time, to its right at desktop
  // width; each line a speaker's turn.
  const conversation = page.getByTestId('qa-conversation');
  const form = page.getByTestId('qa-inspection-form');
  await expect(conversation).toBeVisible();
  await expect(form).toBeVisible();
  await expect(conversation.getByTestId('conversation-transcript').getByRole('listitem')).toHaveCount(lines.length);
  const side = (await conversation.boundingBox())!;
  const main = (await form.boundingBox())!;
  expect(side.x).toBeGreaterThanOrEqual(main.x + main.width);
  expect(side.y).toBeLessThan(main.y + main.height);
  expect(side.y + side.height).toBeGreaterThan(main.y);
  // The finding of the wanting item rests on a line of the conversation.
  const quote = lines[1];
  await page.getByTestId(`qa-item-${wanting.id}-quote`).selectOption(quote);
  await expect(page.getByTestId(`qa-item-${wanting.id}`).getByTestId('quoted-line')).toContainText(quote);
  for (const item of items) {
    const group = page.getByTestId(`qa-item-${item.id}`);
    await group.getByLabel(item === wanting ? '不符合' : '符合', { exact: true }).check();
  }
  await expect(page.locator(`#item-${wanting.id}-owner`)).toHaveValue(String(sample.agent.id));
  await page.locator(`#item-${wanting.id}-problem`).fill('10:05 客户描述退货原因时，客服三次打断客户发言');
  for (const d of dimensions) await page.locator(`#score-${d.id}-${d === dimensions[0] ? 2 : 4}`).check();
  await a11y();
  await page.getByTestId('qa-inspection-submit').click();
  await expect(page.getByText('检查结果已保存。')).toBeVisible();
  // The saved inspection shows the quote under its item, the conversation still beside it.
  await expect(page.getByTestId('qa-inspection-result').getByTestId('quoted-line').first()).toContainText(quote);
  await expect(conversation).toBeVisible();
  await a11y();
  const inspected = await (await page.request.get(`/api/v1/qa/samples/${sample.id}`)).json();
  expect(inspected.inspection.rectifications).toHaveLength(1);
  const rect = inspected.inspection.rectifications[0];
  expect(rect.owner.id).toBe(sample.agent.id);
  expect(rect.quote).toBe(quote);

  // The agent who served reports it done.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signInByApi(agent, 'staff', sample.agent.no);
  await agent.goto('/agent/qa');
  const card = agent.getByTestId(`qa-rect-${rect.id}`);
  await expect(card).toContainText(wanting.name_zh);
  await expect(card.getByTestId('quoted-line')).toContainText(quote);
  await card.getByRole('radio', { name: '已整改' }).check();
  await agent.locator(`#rect-${rect.id}-note`).fill('已完成倾听话术专项培训，模拟对话 3 次');
  await expectAccessible(agent);
  await card.getByRole('button', { name: '提交整改结果' }).click();
  await expect(agent.getByTestId(`rect-${rect.id}-status`)).toHaveText('待复查');
  await expectAccessible(agent);
  await agentContext.close();

  // The inspector finds it among the reported ones of the plan and closes it.
  await page.goto('/qa/rectifications?status=reported');
  await page.locator('#rect-plan').selectOption(String(planId));
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`plan_id=${planId}`));
  const waiting = page.getByTestId(`qa-rect-${rect.id}`);
  await expect(waiting).toContainText('已完成倾听话术专项培训');
  await a11y();
  await waiting.getByRole('button', { name: /复查通过/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: '确认通过' }).click();
  await expect(dialog).toBeHidden();
  const closed = await (await page.request.get(`/api/v1/qa/rectifications?status=closed&plan_id=${planId}`)).json();
  expect(closed.rectifications.map((r: { id: number }) => r.id)).toContain(rect.id);

  // The report: the composite as the server computes it, the flagged dimension, the radar.
  await page.goto(`/qa/plans/${planId}/report`);
  const report = await (await page.request.get(`/api/v1/qa/plans/${planId}/report`)).json();
  expect(report.inspected).toBe(1);
  expect(report.composite).not.toBeNull();
  await expect(page.getByTestId('qa-composite')).toContainText(report.composite.toFixed(2));
  await expect(page.getByTestId(`qa-dimension-row-${dimensions[0].id}`).getByTestId('qa-flag')).toBeVisible();
  await expect(page.getByTestId('qa-radar').locator('canvas, svg').first()).toBeVisible();
  await expect(page.getByTestId('qa-agent-table')).toContainText(sample.agent.no);
  await a11y();
});
