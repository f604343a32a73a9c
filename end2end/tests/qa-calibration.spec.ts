import { test, expect, type Page } from './fixtures';
import { DEMO_PASSWORD, signInByApi } from './pages/login';

// Issue 25's calibration: three inspectors score the same two records blind, the lead sees the
// disagreement table and records the agreed answer with a note, and the note then shows as the
// item's guidance on the inspection sheet. Setup (the inspectors, the plan) goes through the
// API; picking the records from the plan's sample, the scoring and the agreement through the
// pages.

type Item = { id: number; name_zh: string };
type Dimension = { id: number; items: Item[] };
type Sample = { id: number; external_id: string; agent: { no: string } };

/** A day in the organisation's zone, `YYYY-MM-DD`. */
const day = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(d);

/** Scores every record on the open session page: the first item `first`, the others
 *  compliant, every dimension `score`. */
async function score(page: Page, records: number[], dimensions: Dimension[], first: string, score: number) {
  const items = dimensions.flatMap((d) => d.items);
  for (const r of records) {
    for (const item of items) {
      const result = item === items[0] ? first : 'compliant';
      await page.locator(`#cal-${r}-${item.id}-${result}`).check();
    }
    for (const d of dimensions) await page.locator(`#cal-score-${r}-${d.id}-${score}`).check();
  }
  await page.getByTestId('cal-submit').click();
}

test('three inspectors calibrate two records blind; the lead records the agreed answer and it becomes the guidance', async ({ page, browser, a11y }) => {
  test.slow();
  const stamp = String(Date.now() % 1000000).padStart(6, '0');
  // Two more QA inspectors, made by the admin.
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signInByApi(adminPage, 'staff', 'A0001');
  const logins = [`QC${stamp}1`, `QC${stamp}2`];
  const others: number[] = [];
  for (const [n, login] of logins.entries()) {
    const made = await adminPage.request.post('/api/v1/users', {
      headers: { 'Idempotency-Key': `e2e-cal-user-${stamp}-${n}` },
      data: { role: 'qa_inspector', display_name: `校准员${n + 1}`, employee_no: login, password: DEMO_PASSWORD },
    });
    expect(made.status(), await made.text()).toBe(201);
    others.push((await made.json()).id);
  }
  await admin.close();

  // Q0001 leads: a plan over the last week gives records and a sheet to look at afterwards.
  await signInByApi(page, 'staff', 'Q0001');
  const me = await (await page.request.get('/api/v1/auth/me')).json();
  const now = new Date();
  const created = await page.request.post('/api/v1/qa/plans', {
    headers: { 'Idempotency-Key': `e2e-cal-plan-${stamp}` },
    data: {
      name: `E2E 校准 ${stamp}`, from: day(new Date(now.getTime() - 6 * 86400000)), to: day(now),
      template_id: 1, strata: [], inspector_ids: [me.id],
    },
  });
  expect(created.status()).toBe(201);
  const planId = (await created.json()).plan.id as number;
  const samples: Sample[] = (await (await page.request.get(`/api/v1/qa/plans/${planId}/samples?per_page=100&status=pending`)).json()).samples;
  expect(samples.length).toBeGreaterThan(2);

  // The lead starts the session on the page, picking two records from the plan's sample (a
  // third ticked and unticked again), the by-number boxes filling as they tick.
  await page.goto('/qa/calibrations/new');
  await page.locator('#cal-name').fill(`E2E 校准 ${stamp}`);
  await page.locator('#cal-template').selectOption('1');
  await page.locator('#cal-pick-plan').selectOption({ label: `E2E 校准 ${stamp}` });
  const pick = (s: Sample) => page.getByTestId(`cal-pick-row-${s.external_id}`).getByRole('checkbox');
  await pick(samples[0]).check();
  await pick(samples[2]).check();
  await pick(samples[1]).check();
  await expect(page.locator('#cal-record-2')).toHaveValue(samples[1].external_id);
  await pick(samples[2]).uncheck();
  await expect(page.locator('#cal-record-0')).toHaveValue(samples[0].external_id);
  await expect(page.locator('#cal-record-1')).toHaveValue(samples[1].external_id);
  await expect(page.locator('#cal-record-2')).toHaveValue('');
  for (const inspector of [me.id, ...others]) await page.locator(`#cal-inspector-${inspector}`).check();
  await a11y();
  await page.getByTestId('cal-create').click();
  await expect(page).toHaveURL(/\/qa\/calibrations\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const detail = await (await page.request.get(`/api/v1/qa/calibrations/${id}`)).json();
  expect((detail.records as { external_id: string }[]).map((r) => r.external_id))
    .toEqual([samples[0].external_id, samples[1].external_id]);
  const records = (detail.records as { id: number }[]).map((r) => r.id);
  const dimensions: Dimension[] = detail.template.dimensions;
  const first = dimensions.flatMap((d) => d.items)[0];

  // The lead scores first: the first item not compliant. Nobody else's answers show.
  await page.goto('/qa/calibrations');
  await expect(page.getByTestId('cal-table')).toContainText(`E2E 校准 ${stamp}`);
  await a11y();
  await page.goto(`/qa/calibrations/${id}`);
  await expect(page.getByTestId('cal-score-form')).toBeVisible();
  await a11y();
  await score(page, records, dimensions, 'non_compliant', 2);
  await expect(page.getByTestId('cal-submitted')).toBeVisible();
  await expect(page.getByTestId('cal-results')).toHaveCount(0);

  // The two others in turn, each in a browser of their own: partly, then compliant.
  for (const [n, login] of logins.entries()) {
    const context = await browser.newContext();
    const other = await context.newPage();
    await signInByApi(other, 'staff', login);
    await other.goto(`/qa/calibrations/${id}`);
    await expect(other.getByTestId('cal-score-form')).toBeVisible();
    // Blind: before scoring, the session holds nobody's answers.
    const seen = await (await other.request.get(`/api/v1/qa/calibrations/${id}`)).json();
    expect(seen.results).toBeNull();
    expect(seen.mine).toBeNull();
    await score(other, records, dimensions, n === 0 ? 'partly' : 'compliant', n === 0 ? 3 : 4);
    if (n === 0) await expect(other.getByTestId('cal-submitted')).toBeVisible();
    else await expect(other.getByTestId('cal-results')).toBeVisible();
    await context.close();
  }

  // The lead sees the disagreement: the disputed item first, each inspector's answer.
  await page.reload();
  await expect(page.getByTestId('cal-status')).toHaveText('已结束');
  const table = page.getByTestId('cal-disagreement');
  const card = table.getByTestId(`cal-agree-item-${first.id}`);
  await expect(table.locator('article').first()).toHaveAttribute('data-testid', `cal-agree-item-${first.id}`);
  await expect(card).toContainText('不符合');
  await expect(card).toContainText('部分符合');
  await expect(card).toContainText('33.3%');
  await a11y();
  for (const r of records) await page.locator(`#cal-agreed-${r}-${first.id}`).selectOption('partly');
  const note = `客户先开口时，回应即算问候（${stamp}）`;
  await page.locator(`#cal-note-${first.id}`).fill(note);
  await page.getByTestId('cal-save-agreed').click();
  await expect(page.getByTestId('cal-agreed-saved')).toBeVisible();

  // The note is the item's guidance under its standard on the inspection sheet.
  await page.goto(`/qa/samples/${samples[2].id}`);
  await expect(page.getByTestId(`qa-item-${first.id}-guidance`)).toContainText(note);
  await a11y();

  // The deviation page shows the lead's answers against the agreed ones.
  await page.goto('/qa/calibrations/deviation');
  await expect(page.getByTestId('cal-deviation-overall')).toContainText('Q0001');
  await a11y();
});
