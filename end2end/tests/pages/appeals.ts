import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { RatingForm, awaitingRecords, formDimensions } from './rating';

/** A dimension of an evaluation: its code and Chinese name. */
export type Dimension = { code: string; name_zh: string; optional: boolean };

/**
 * Rates the signed-in customer's next record awaiting a rating through the API, every
 * dimension at `score`: its evaluation number and dimensions.
 */
export async function rateNextByApi(
  request: APIRequestContext,
  score: number,
  overall: number,
): Promise<{ number: string; dimensions: Dimension[] }> {
  const [record] = await awaitingRecords(request);
  expect(record, 'a record awaiting a rating').toBeTruthy();
  const dimensions = await formDimensions(request, record.id);
  const scores = Object.fromEntries(dimensions.map((d) => [d.code, score]));
  const response = await request.post('/api/v1/evaluations', {
    headers: { 'Idempotency-Key': `e2e-appeal-${record.id}-${Date.now()}` },
    data: { service_record_id: record.id, scores, overall, suggestion: '整体还可以。', form_seconds: 60 },
  });
  expect(response.status(), `rating record ${record.id}`).toBe(201);
  return { number: (await response.json()).number as string, dimensions };
}

/** Files an appeal through the API, as the signed-in customer: the answer. */
export async function fileAppealByApi(request: APIRequestContext, number: string, reason: string) {
  return request.post(`/api/v1/evaluations/${number}/appeals`, {
    headers: { 'Idempotency-Key': `e2e-file-${number}-${Date.now()}` },
    data: { reason },
  });
}

/** The customer's evaluation page, with its status, appeal action, versions and appeals. */
export class EvaluationView {
  constructor(readonly page: Page) {}

  async open(number: string) {
    await this.page.goto(`/customer/evaluations/${number}`);
    await expect(this.page.getByText(number, { exact: true })).toBeVisible();
  }

  statusPanel() {
    return this.page.getByRole('region', { name: '状态与申诉' });
  }

  appealLink() {
    return this.page.getByRole('link', { name: '申诉此评价' });
  }

  versions() {
    return this.page.getByRole('region', { name: '修改记录' });
  }

  appeals() {
    return this.page.getByRole('region', { name: '申诉记录' });
  }
}

/** The appeal form. */
export class AppealFormPage {
  readonly stars: RatingForm;

  constructor(readonly page: Page) {
    this.stars = new RatingForm(page);
  }

  heading() {
    return this.page.getByRole('heading', { level: 1, name: '申诉评价' });
  }

  reason() {
    return this.page.getByRole('textbox', { name: '申诉理由' });
  }

  wantChange() {
    return this.page.getByRole('checkbox', { name: '我希望改为以下评分' });
  }

  submit() {
    return this.page.getByRole('button', { name: /提交申诉|正在提交/ });
  }
}

/** The customer's appeals, and the link to them with its badge. */
export class MyAppealsPage {
  constructor(readonly page: Page) {}

  navLink() {
    return this.page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: /^我的申诉/ });
  }

  async open() {
    await this.navLink().click();
    await expect(this.page.getByRole('heading', { level: 1, name: '我的申诉' })).toBeVisible();
  }

  item(number: string) {
    return this.page.getByRole('listitem').filter({ has: this.page.getByRole('link', { name: number }) });
  }
}

/** The admin's appeal review. */
export class AppealQueue {
  constructor(readonly page: Page) {}

  async open(status?: 'approved' | 'rejected') {
    await this.page.goto(status ? `/admin/appeals?status=${status}` : '/admin/appeals');
    await expect(this.page.getByRole('heading', { level: 1, name: '申诉审核' })).toBeVisible();
  }

  item(number: string) {
    return this.page.getByRole('article', { name: number });
  }

  dialog() {
    return this.page.getByRole('dialog');
  }

  reason() {
    return this.dialog().getByRole('textbox', { name: '处理说明（客户可见）' });
  }

  announcement() {
    return this.page.getByRole('main').getByRole('status').filter({ hasText: /申诉/ });
  }
}
