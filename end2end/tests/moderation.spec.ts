import { test, expect } from './fixtures';
import { signInByApi } from './pages/login';
import { AuditPage, ModerationPage, TermsPage, findBurst, rateByApi } from './pages/moderation';

// Issue 8's "done when": a burst of evaluations from one demo customer for one agent is flagged
// as brushing, the admin deletes it with a reason, restores one, and the audit log shows it all.
// The queue filtered by the agent shows what the statistics count of them (count and average
// total score, deleted evaluations left out, see server/src/moderation.rs COUNTED), so the
// average is checked against the burst's own scores after each decision.

const BRUSHING = '疑似刷单：短时间内集中评价';

test('a burst from one customer for one agent is flagged, deleted with a reason, one restored, and audited', async ({ page, browser, a11y }) => {
  // The burst: every awaiting record one agent served the customer, rated within a minute.
  const { burst, customer } = await findBurst(browser, 3);
  const numbers: string[] = [];
  for (const [i, id] of burst.records.entries()) {
    numbers.push(await rateByApi(customer.request, id, `第 ${i + 1} 次服务的评价，编号 ${id}`));
  }
  // With the default settings (3 within 60 minutes) the third evaluation completes a burst,
  // which flags it and the earlier evaluations of the burst.
  await signInByApi(page, 'staff', 'A0001');
  const listed = await (await page.request.get('/api/v1/moderation/queue?rule=brushing_burst&per_page=100')).json();
  type Item = { number: string; total_score: number; reasons: { rule: string; detail_zh: string; facts: { evaluations?: number } }[] };
  const burstItems = (listed.items as Item[]).filter((item) => numbers.includes(item.number));
  const flagged = burstItems.map((item) => item.number);
  expect(flagged, 'every evaluation of the burst is flagged').toEqual(numbers);

  const queue = new ModerationPage(page);
  await queue.open();
  await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /^评价审核.*条待审核$/ })).toBeVisible();
  await queue.filter(BRUSHING, `${burst.agentName} ${burst.agentNo}`);
  await expect(page).toHaveURL(/\/admin\/moderation\?rule=brushing_burst&agent_id=\d+$/);
  // The agent's standing as the statistics count it, the burst included.
  const agentId = Number(new URL(page.url()).searchParams.get('agent_id'));
  type Standing = { counted: number; average_total: number };
  const standingOf = async (): Promise<Standing> =>
    (await (await page.request.get(`/api/v1/moderation/queue?agent_id=${agentId}&per_page=1`)).json()).agent;
  const standing = page.getByTestId('agent-standing');
  const shows = (s: Standing) =>
    `${burst.agentName} ${burst.agentNo} 当前计入统计的评价 ${s.counted} 条，平均总分 ${s.average_total.toFixed(2)}。`;
  const before = await standingOf();
  await expect(standing).toHaveText(shows(before));
  const burstSum = burstItems.reduce((sum, item) => sum + item.total_score, 0);
  for (const item of burstItems) {
    const reason = item.reasons.find((r) => r.rule === 'brushing_burst')!;
    expect(reason.detail_zh).toBe(`该客户 60 分钟内对 ${burst.agentNo} 提交了 ${reason.facts.evaluations} 条评价`);
    expect(reason.facts.evaluations).toBeGreaterThanOrEqual(3);
    const card = queue.card(item.number);
    await expect(card).toContainText(`${BRUSHING}：${reason.detail_zh}`);
    await expect(card).toContainText(`${burst.agentName} ${burst.agentNo}`);
    await expect(card).toContainText('7/10');
    await expect(card).toContainText('待审核');
    await expect(card).toContainText('尚未处理');
  }
  await a11y();

  // Select the burst and delete it: a reason is required.
  const bar = queue.bulkBar();
  await expect(bar.getByRole('button', { name: '删除' })).toBeDisabled();
  for (const number of flagged) {
    await queue.select(number);
  }
  await expect(bar).toContainText(`已选 ${flagged.length} 条`);
  await bar.getByRole('button', { name: '删除' }).click();
  const dialog = queue.dialog();
  await expect(dialog.getByRole('heading', { name: `删除评价（${flagged.length} 条）` })).toBeVisible();
  await dialog.getByRole('button', { name: '确认删除' }).click();
  await expect(dialog.getByText('请填写理由。')).toBeVisible();
  await expect(dialog.getByLabel('理由')).toBeFocused();
  await a11y();
  await queue.confirm('删除', '同一客户短时间内集中评价，判定为刷单');
  await expect(queue.announcement()).toHaveText(`已删除 ${flagged.length} 条评价：${flagged.join(', ')}。`);
  await expect(page.getByText('没有符合条件的评价。请调整或清除筛选。')).toBeVisible();
  // The agent's average without the burst.
  const withoutBurst = await standingOf();
  expect(withoutBurst.counted).toBe(before.counted - flagged.length);
  expect(withoutBurst.average_total).toBeCloseTo(
    (before.average_total * before.counted - burstSum) / withoutBurst.counted,
    6,
  );
  await expect(standing).toHaveText(shows(withoutBurst));

  // They are in the deleted tab, with the decision; the filters stay.
  await queue.tab('已删除').click();
  await expect(page).toHaveURL(/status=deleted&rule=brushing_burst&agent_id=\d+$/);
  await expect(queue.tab('已删除')).toHaveAttribute('aria-current', 'page');
  for (const number of flagged) {
    await expect(queue.card(number)).toContainText('删除（梁志远');
    await expect(queue.card(number)).toContainText('同一客户短时间内集中评价，判定为刷单');
  }
  const ids = new Map<string, number>();
  const deleted = await (await page.request.get('/api/v1/moderation/queue?status=deleted&per_page=100')).json();
  for (const item of deleted.items) ids.set(item.number, item.id);
  for (const number of flagged) {
    const detail = await (await page.request.get(`/api/v1/moderation/evaluations/${ids.get(number)}`)).json();
    expect(detail.item.status, `${number} is out of the statistics`).toBe('deleted');
  }

  // Restore one: it counts again and is listed as kept, with its whole history.
  const restored = flagged[0];
  await queue.card(restored).getByRole('button', { name: `恢复 ${restored}` }).click();
  await expect(dialog.getByRole('heading', { name: '恢复评价（1 条）' })).toBeVisible();
  await queue.confirm('恢复', '复核后确认为真实评价');
  await expect(queue.announcement()).toHaveText(`已恢复 1 条评价：${restored}。`);
  await expect(queue.card(restored)).toHaveCount(0);
  const detail = await (await page.request.get(`/api/v1/moderation/evaluations/${ids.get(restored)}`)).json();
  expect(detail.item.status, 'the restored evaluation is counted again').toBe('active');
  const restoredTotal = burstItems.find((item) => item.number === restored)!.total_score;
  const withRestored = await standingOf();
  expect(withRestored.counted).toBe(withoutBurst.counted + 1);
  expect(withRestored.average_total).toBeCloseTo(
    (withoutBurst.average_total * withoutBurst.counted + restoredTotal) / withRestored.counted,
    6,
  );
  await expect(standing).toHaveText(shows(withRestored));
  expect(detail.decisions.map((d: { decision: string }) => d.decision)).toEqual(['delete', 'restore']);

  await queue.tab('已保留').click();
  const card = queue.card(restored);
  await expect(card).toContainText('已保留');
  await expect(card).toContainText('恢复（梁志远');
  const toggle = card.getByRole('button', { name: `审核记录 ${restored}` });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(card.getByRole('heading', { name: '处理记录' })).toBeVisible();
  await expect(card.getByRole('listitem').filter({ hasText: '同一客户短时间内集中评价，判定为刷单' })).toBeVisible();
  await expect(card.getByRole('listitem').filter({ hasText: '复核后确认为真实评价' })).toBeVisible();
  await a11y();

  // The audit log shows the flag, the deletion and the restoration of that evaluation.
  const audit = new AuditPage(page);
  await audit.open();
  await page.getByLabel('对象编号').fill(restored);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page).toHaveURL(`/admin/audit?target_id=${restored}`);
  await expect(audit.row('恢复评价')).toContainText('梁志远');
  await expect(audit.row('恢复评价')).toContainText('复核后确认为真实评价');
  await expect(audit.row('删除评价')).toContainText('同一客户短时间内集中评价，判定为刷单');
  await expect(audit.row('标记异常评价')).toContainText('系统');
  // The rule in words, never its code.
  await expect(audit.row('标记异常评价')).toContainText('疑似刷单：短时间内集中评价');
  await expect(audit.row('标记异常评价')).not.toContainText('brushing_burst');
  // And what the rule found, in the page's language (it was an English sentence).
  await expect(audit.row('标记异常评价')).toContainText(/该客户 \d+ 分钟内对 E\d+ 提交了 \d+ 条评价/);
  await expect(audit.row('标记异常评价')).not.toContainText('evaluations of');
  // Newest first.
  const actions = audit.table().getByRole('row').filter({ hasText: /恢复评价|删除评价|标记异常评价/ });
  await expect(actions.nth(0)).toContainText('恢复评价');
  await expect(actions.nth(1)).toContainText('删除评价');
  await expect(actions.nth(2)).toContainText('标记异常评价');
  await a11y();

  // The action filter offers the action names the log holds.
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '删除评价' });
  await page.getByLabel('对象编号').fill('');
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page).toHaveURL('/admin/audit?action=evaluation.deleted');
  // The address changes at once; the table once the filtered page has loaded.
  await expect(audit.table().getByRole('row').filter({ hasText: /恢复评价|标记异常评价/ })).toHaveCount(0);
  for (const number of flagged) {
    await expect(audit.table().getByRole('row', { name: new RegExp(number) })).toContainText('删除评价');
  }
  await customer.close();
});

test('the admin adds a term to the lexicon and removes it after confirming', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const terms = new TermsPage(page);
  await terms.open();
  await terms.add('  ');
  await expect(page.getByText('请输入词语。')).toBeVisible();
  await expect(page.getByLabel('词语')).toBeFocused();

  await terms.add('E2E测试词');
  await expect(page.getByRole('main').getByRole('status')).toHaveText('已添加“e2e测试词”。');
  const row = terms.table().getByRole('row', { name: /e2e测试词/ });
  await expect(row).toContainText('梁志远');
  await terms.add('e2e测试词');
  await expect(page.getByText('词库中已有这个词语。')).toBeVisible();
  await a11y();

  await row.getByRole('button', { name: '移除 e2e测试词' }).click();
  const dialog = page.getByRole('dialog', { name: '移除“e2e测试词”？' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: '移除' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('main').getByRole('status')).toHaveText('已移除“e2e测试词”。');
  await expect(row).toHaveCount(0);
  const stored = await (await page.request.get('/api/v1/moderation/terms')).json();
  expect(stored.map((t: { term: string }) => t.term)).not.toContain('e2e测试词');
});
