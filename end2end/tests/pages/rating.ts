import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** One of the signed-in customer's records, as `GET /me/service-records` lists it. */
export type MyRecord = { id: number; agent_no: string; service_type: string; state: string };

/** The labels of the five star values, as the form names them. */
export const STAR_LABELS = ['非常不满意', '不满意', '一般', '满意', '非常满意'];

/** The signed-in customer's records awaiting a rating, the one closing soonest first. */
export async function awaitingRecords(request: APIRequestContext): Promise<MyRecord[]> {
  const response = await request.get('/api/v1/me/service-records');
  expect(response.ok()).toBeTruthy();
  return (await response.json()).awaiting;
}

/** The rating form's dimensions of a record: code, names, optional. */
export async function formDimensions(request: APIRequestContext, id: number) {
  const response = await request.get(`/api/v1/me/service-records/${id}`);
  expect(response.ok()).toBeTruthy();
  const form = await response.json();
  return form.dimensions as { code: string; name_zh: string; optional: boolean }[];
}

/** How many evaluations exist for one of the signed-in customer's records (0 or 1), from the server. */
export async function evaluationsOf(request: APIRequestContext, id: number): Promise<number> {
  const response = await request.get('/api/v1/me/evaluations?per_page=100');
  expect(response.ok()).toBeTruthy();
  const page = await response.json();
  return page.evaluations.filter((e: { service_record_id: number }) => e.service_record_id === id).length;
}

/** The rating form of one service record. */
export class RatingForm {
  constructor(readonly page: Page) {}

  async open(id: number) {
    await this.page.goto(`/customer/rate/${id}`);
    await expect(this.heading()).toBeVisible();
  }

  heading() {
    return this.page.getByRole('heading', { level: 1, name: '评价本次服务' });
  }

  /** The star group of a dimension, by its Chinese name. */
  group(name: string) {
    return this.page.getByRole('group', { name: new RegExp(`^${name}`) });
  }

  star(name: string, score: number) {
    return this.group(name).getByRole('radio', { name: `${score} 星：${STAR_LABELS[score - 1]}` });
  }

  /** Chooses a number of stars as a person does: on the star (the radio itself is hidden). */
  async choose(name: string, score: number) {
    await this.group(name).locator('label').nth(score - 1).click();
    await expect(this.star(name, score)).toBeChecked();
  }

  async chooseOverall(score: number) {
    await this.overallGroup().locator('label').nth(score - 1).click();
    await expect(this.overall(score)).toBeChecked();
  }

  overallGroup() {
    return this.page.getByRole('group', { name: /^总体满意度/ });
  }

  overall(score: number) {
    return this.overallGroup().getByRole('radio', { name: String(score), exact: true });
  }

  suggestion() {
    return this.page.getByLabel('意见或建议');
  }

  submit() {
    return this.page.getByRole('button', { name: /提交评价|正在提交/ });
  }

  status() {
    return this.page.locator('#rating-submit-status');
  }

  /** Chooses a score for every dimension (optional ones too) and the overall score. */
  async fill(dimensions: { name_zh: string }[], score: number, overall: number) {
    for (const d of dimensions) await this.choose(d.name_zh, score);
    await this.chooseOverall(overall);
  }

  /** The success view reached after a submission: its evaluation number. */
  async thanks(): Promise<string> {
    await expect(this.page.getByRole('heading', { level: 1, name: '评价成功' })).toBeVisible();
    await expect(this.page).toHaveURL(/\/customer\/evaluations\/PJ\d{8}-\d{6}/);
    return decodeURIComponent(new URL(this.page.url()).pathname.split('/').pop()!);
  }
}
