import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { openTitled } from './shell';
import { DEMO_PASSWORD } from './login';
import { awaitingRecords, formDimensions, type MyRecord } from './rating';

/** The review queue (评价审核): tabs, filters, cards, the bulk bar and the decision dialog. */
export class ModerationPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/moderation', '评价审核');
  }

  tab(name: '待审核' | '已删除' | '已保留') {
    return this.page.getByRole('navigation', { name: '审核状态' }).getByRole('link', { name, exact: true });
  }

  async filter(rule: string, agent: string) {
    await this.page.getByLabel('异常规则').selectOption({ label: rule });
    await this.page.getByLabel('服务人员').selectOption({ label: agent });
    await this.page.getByRole('button', { name: '查询', exact: true }).click();
  }

  /** One evaluation's card, named by its number. */
  card(number: string) {
    return this.page.getByRole('article', { name: number });
  }

  async select(number: string) {
    await this.card(number).getByRole('checkbox', { name: `选择 ${number}` }).check();
  }

  bulkBar() {
    return this.page.getByRole('group', { name: '批量处理' });
  }

  dialog() {
    return this.page.getByRole('dialog');
  }

  announcement() {
    return this.page.getByRole('main').getByRole('status').filter({ hasText: /^已(保留|删除|恢复) / });
  }

  /** Gives the open dialog's reason and confirms, then waits for it to close. */
  async confirm(decision: '保留' | '删除' | '恢复', reason: string) {
    await this.dialog().getByLabel('理由').fill(reason);
    await this.dialog().getByRole('button', { name: `确认${decision}` }).click();
    await expect(this.dialog()).toBeHidden();
  }
}

/** The abusive-word lexicon page. */
export class TermsPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/moderation/terms', '不当用语词库');
  }

  table() {
    return this.page.getByRole('table', { name: '不当用语词库' });
  }

  async add(term: string) {
    await this.page.getByLabel('词语').fill(term);
    await this.page.getByRole('button', { name: '添加到词库' }).click();
  }
}

/** The audit log page. */
export class AuditPage {
  constructor(readonly page: Page) {}

  async open(query = '') {
    await openTitled(this.page, `/admin/audit${query}`, '审计日志');
  }

  table() {
    return this.page.getByRole('table', { name: '审计日志' });
  }

  row(action: string) {
    return this.table().getByRole('row', { name: new RegExp(action) });
  }
}

/** A customer's records awaiting a rating that one agent served, the most such first. */
export type Burst = { login: string; agentNo: string; agentName: string; records: number[] };

/**
 * Signs each demo customer in (in a browser context of its own, for the caller to close) and
 * finds the agent who served them the most records still awaiting a rating: a burst needs at
 * least `min` of them.
 */
export async function findBurst(browser: Browser, min: number): Promise<{ burst: Burst; customer: BrowserContext }> {
  for (const login of ['13800000001', '13800000002']) {
    const context = await browser.newContext();
    const request = context.request;
    const signedIn = await request.post('/api/v1/auth/login', { data: { kind: 'customer', login, password: DEMO_PASSWORD } });
    expect(signedIn.ok(), `signing in ${login}`).toBeTruthy();
    const byAgent = new Map<string, { name: string; ids: number[] }>();
    for (const record of (await awaitingRecords(request)) as (MyRecord & { agent_name: string })[]) {
      const entry = byAgent.get(record.agent_no) ?? { name: record.agent_name, ids: [] };
      entry.ids.push(record.id);
      byAgent.set(record.agent_no, entry);
    }
    const best = [...byAgent.entries()].sort((a, b) => b[1].ids.length - a[1].ids.length)[0];
    if (best && best[1].ids.length >= min) {
      return { burst: { login, agentNo: best[0], agentName: best[1].name, records: best[1].ids }, customer: context };
    }
    await context.close();
  }
  throw new Error(`no demo customer has ${min} records of one agent awaiting a rating`);
}

/** Rates a record through the API as its customer: plausible, consistent scores, a minute on the form. */
export async function rateByApi(request: APIRequestContext, id: number, suggestion: string): Promise<string> {
  const dimensions = await formDimensions(request, id);
  // 4 and 3 alternating: neither extreme nor inconsistent with an overall of 7.
  const scores = Object.fromEntries(dimensions.map((d, i) => [d.code, i % 2 === 0 ? 4 : 3]));
  const response = await request.post('/api/v1/evaluations', {
    headers: { 'Idempotency-Key': `e2e-burst-${id}-${Date.now()}` },
    data: { service_record_id: id, scores, overall: 7, suggestion, form_seconds: 60 },
  });
  expect(response.status(), `rating record ${id}`).toBe(201);
  return (await response.json()).number as string;
}
