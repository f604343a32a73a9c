import { test, expect, expectAccessible } from './fixtures';
import type { Page } from '@playwright/test';
import { signInByApi } from './pages/login';
import { ports } from '../ports';
import { durationWords } from './pages/format';

// Issue 11's "done when": the admin opens last week's report of the demo data and every
// section shows real figures that agree with the dashboard for the same week; the print
// preview (A4) has no cut charts; a subscription produces a kept report and a mail that
// arrives at a real SMTP server (smtp-sink.mjs, started by the Playwright configuration).

const SMTP_PORT = ports.smtp;
const MESSAGES = `http://127.0.0.1:${ports.messages}/messages`;

type Kpi = { value: number | null; previous: number | null };
type Report = {
  key: string;
  period: { from: string; to: string };
  kpis: Record<string, Kpi>;
  trend: { key: string; evaluations: number }[];
  complaints: number;
  complaint_tags: { tag: string; count: number }[];
  problems: { term: string; count: number; examples: { number: string; suggestion: string }[] }[];
  agents: { agent_no: string; evaluations: number; average_total: number | null }[];
  open_appeal_count: number;
  overdue_plan_count: number;
  summary: { metric: string; direction: string }[];
};
type Mail = { envelopeTo: string[]; subject: string; text: string; html: string };

async function mails(page: Page): Promise<Mail[]> {
  return (await page.request.get(MESSAGES)).json();
}

/** The key of the week before this one in Shanghai (UTC+8), as the server names it. */
function lastWeekKey(): { key: string; from: string; to: string } {
  const shanghai = new Date(Date.now() + 8 * 3600_000);
  const today = new Date(Date.UTC(shanghai.getUTCFullYear(), shanghai.getUTCMonth(), shanghai.getUTCDate()));
  const monday = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * 86_400_000 - 7 * 86_400_000);
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  // ISO week: the week of its Thursday.
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const yearStart = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 1));
  const week = Math.floor((thursday.getTime() - yearStart.getTime()) / 86_400_000 / 7) + 1;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { key: `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`, from: day(monday), to: day(sunday) };
}

test('the admin reads last week\'s report, it agrees with the dashboard, and it prints on A4 without cut charts', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const week = lastWeekKey();
  await page.goto('/admin/reports');
  await expect(page.getByRole('heading', { level: 1, name: '分析报告' })).toBeVisible();
  await a11y();
  await page.getByRole('link', { name: '上周报告' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/admin/reports/week/${week.key}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('客户服务响应及满意度分析报告');

  // The report's figures are the dashboard's for the same week.
  const report: Report = await (await page.request.get(`/api/v1/reports/week/${week.key}`)).json();
  expect(report.period).toEqual({ from: week.from, to: week.to });
  const range = `from=${week.from}&to=${week.to}`;
  const kpis = await (await page.request.get(`/api/v1/analytics/kpis?${range}`)).json();
  const agents = await (await page.request.get(`/api/v1/analytics/agents?${range}`)).json();
  const distribution = await (await page.request.get(`/api/v1/analytics/distribution?${range}`)).json();
  expect(kpis.evaluations.value).toBeGreaterThan(0);
  for (const name of ['evaluations', 'average_total', 'attainment_rate', 'on_time_rate', 'first_contact_rate', 'average_handling_minutes', 'open_appeals', 'flagged']) {
    expect(report.kpis[name].value, name).toBe(kpis[name].value);
  }
  expect(report.complaints).toBe(distribution.complaints);
  expect(report.complaint_tags).toEqual(distribution.complaint_tags);
  for (const a of agents.agents) {
    const line = report.agents.find((r) => r.agent_no === a.agent_no)!;
    expect([line.evaluations, line.average_total]).toEqual([a.count, a.average_total]);
  }

  // Every section shows them.
  const section = (id: string) => page.locator(`#report-${id}`);
  await expect(section('kpis')).toContainText(String(kpis.evaluations.value));
  await expect(section('kpis')).toContainText(kpis.average_total.value.toFixed(2));
  await expect(section('summary').locator('li').first()).toBeVisible();
  // The average handling time in the same words as the dashboard's card: minutes, or hours
  // and minutes, on the report's card and in its summary.
  const handling = durationWords(kpis.average_handling_minutes.value);
  await expect(section('kpis').locator('.kpi-card').filter({ hasText: '平均处理时长' }).locator('.kpi-value')).toHaveText(handling);
  if (report.summary.some((c) => c.metric === 'average_handling_minutes')) {
    const line = section('summary').locator('li').filter({ hasText: '平均处理时长' });
    await expect(line).toContainText(handling);
    await expect(line).not.toContainText(/\d+\.\d+ ?(分钟|min)/);
  }
  const trendRows = page.getByTestId('report-trend-table').locator('tbody tr');
  await expect(trendRows).toHaveCount(6);
  await expect(trendRows.last()).toContainText(String(report.trend[5].evaluations));
  expect(report.trend[5].evaluations).toBe(kpis.evaluations.value);
  if (report.complaint_tags.length) {
    await expect(page.getByTestId('report-complaint-table').locator('tbody tr')).toHaveCount(report.complaint_tags.length);
  }
  expect(report.problems.length).toBeGreaterThan(0);
  const problemTable = page.getByTestId('report-problem-table');
  await expect(problemTable).toContainText(report.problems[0].term);
  await expect(problemTable).toContainText(report.problems[0].examples[0].suggestion);
  const agentRows = page.getByTestId('report-agent-table').locator('tbody tr');
  await expect(agentRows).toHaveCount(report.agents.length);
  await expect(agentRows.first()).toContainText(report.agents[0].agent_no);
  await expect(section('appeals')).toContainText(
    report.open_appeal_count ? String(report.open_appeal_count) : '没有待处理的申诉',
  );
  await expect(section('plans')).toContainText(
    report.overdue_plan_count ? String(report.overdue_plan_count) : '没有逾期的改进计划',
  );

  // The three charts drawn (the trend, the distribution and the demo's invitations' response
  // funnel), and their print images made from them.
  const charts = page.locator('figure.report-chart');
  await expect(charts).toHaveCount(3);
  const images = page.locator('img.report-chart-image');
  await expect(images).toHaveCount(3);
  await expect.poll(() => images.evaluateAll((els) => els.map((e) => (e as HTMLImageElement).naturalWidth > 0))).toEqual([true, true, true]);
  await a11y();

  // A table's CSV: a BOM, a header and a row per agent.
  const csv = await (await page.request.get(`/api/v1/reports/week/${week.key}/csv/agents`)).text();
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  expect(csv.trim().split('\n')).toHaveLength(report.agents.length + 1);

  // Print on A4 (210 mm at 96 dpi, less 14 mm margins each side: 688 px wide, 1017 px high).
  await page.setViewportSize({ width: 688, height: 1017 });
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.top-bar').first()).toBeHidden();
  await expect(page.getByRole('button', { name: '打印 / 导出 PDF' })).toBeHidden();
  const boxes = await images.evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      const figure = e.closest('figure')!;
      const canvas = figure.querySelector('canvas');
      return {
        left: r.left,
        right: r.right,
        width: r.width,
        figureWidth: figure.getBoundingClientRect().width,
        drawnWidth: (e as HTMLImageElement).naturalWidth,
        height: r.height,
        visible: getComputedStyle(e).display !== 'none' && r.width > 0,
        canvasShown: canvas ? getComputedStyle(canvas.closest('.echart-canvas') ?? canvas).display !== 'none' && canvas.getBoundingClientRect().width > 0 : false,
        breakInside: getComputedStyle(figure).breakInside,
      };
    }),
  );
  for (const b of boxes) {
    expect(b.visible).toBe(true);
    expect(b.canvasShown).toBe(false);
    expect(b.left).toBeGreaterThanOrEqual(0);
    expect(b.right).toBeLessThanOrEqual(688);
    expect(b.height).toBeLessThanOrEqual(1017);
    expect(b.breakInside).toBe('avoid');
    // Whole and as wide as its section (issue 24: a chart printed as a 200 px sliver, its
    // title cut, when print media hid the chart it was taken from): drawn at a page's width.
    expect(b.width).toBeGreaterThanOrEqual(b.figureWidth - 1);
    expect(b.drawnWidth).toBe(680);
  }
  // On paper the legend shows every entry, not a page of them with "1/2" and arrows.
  const printed = (await images.evaluateAll((els) => els.map((e) => (e as HTMLImageElement).src))).map(decodeURIComponent);
  const trendImage = printed.find((svg) => svg.includes('核心指标趋势'))!;
  expect(trendImage).toBeDefined();
  for (const name of ['平均综合得分', '满意度达标率', '响应及时率', '首次解决率']) {
    expect(trendImage, name).toContain(name);
  }
  for (const svg of printed) {
    expect(svg).not.toMatch(/>\s*\d+\/\d+\s*<\/text>/);
  }
  await page.screenshot({ path: test.info().outputPath('report-print-portrait.png'), fullPage: true });
  // Landscape A4 (297 mm less the margins: 1017 px wide): the charts widen with the page.
  await page.setViewportSize({ width: 1017, height: 688 });
  const landscape = await images.evaluateAll((els) =>
    els.map((e) => [e.getBoundingClientRect().width, e.closest('figure')!.getBoundingClientRect().width]),
  );
  for (const [width, figure] of landscape) {
    expect(figure).toBeGreaterThan(900);
    expect(width).toBeGreaterThanOrEqual(figure - 1);
  }
  await page.screenshot({ path: test.info().outputPath('report-print-landscape.png'), fullPage: true });
  await page.setViewportSize({ width: 688, height: 1017 });
  // The PDF the browser makes of it: A4 pages.
  const pdf = await page.pdf({ preferCSSPageSize: true });
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
  expect(pages.length).toBeGreaterThanOrEqual(2);
  expect(pdf.toString("latin1")).toMatch(/\/MediaBox\s*\[\s*0 0 59[45](\.\d+)? 84[12](\.\d+)?/);
  await page.emulateMedia({ media: 'screen' });
});

test('the admin sets up the mail server, subscribes, and the report arrives by mail', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const week = lastWeekKey();
  await page.goto('/admin/settings/mail');
  await expect(page.getByRole('heading', { level: 1, name: '邮件服务器设置' })).toBeVisible();
  await a11y();
  await page.getByLabel('服务器地址').fill('127.0.0.1');
  await page.getByLabel('端口').fill(String(SMTP_PORT));
  await page.getByLabel('连接加密').selectOption('none');
  await page.getByLabel('发件人地址').fill('pingjia@example.com');
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByText('邮件服务器设置已保存。')).toBeVisible();

  // The test mail arrives.
  await page.getByLabel('收件地址').fill('test@example.com');
  await page.getByRole('button', { name: '发送测试邮件' }).click();
  await expect(page.getByText('测试邮件已发送至 test@example.com。')).toBeVisible();
  expect((await mails(page)).some((m) => m.envelopeTo.includes('test@example.com'))).toBe(true);

  // A weekly subscription of the company: last week's report is kept and mailed at once.
  await page.goto('/admin/reports');
  await page.getByRole('button', { name: '新建订阅' }).click();
  await page.getByLabel('报告类型').selectOption('week');
  await page.getByLabel('收件人').fill('ops@example.com\nnot an address');
  await page.getByRole('button', { name: '保存订阅' }).click();
  // A bad line is named beside the field, and nothing is saved.
  await expect(page.getByText('第 2 行“not an address”不是有效的邮箱地址。')).toBeVisible();
  await page.getByLabel('收件人').fill('ops@example.com');
  await page.getByRole('button', { name: '保存订阅' }).click();
  await expect(page.getByText('订阅已保存。')).toBeVisible();
  await a11y();

  await expect
    .poll(async () => {
      const kept = await (await page.request.get('/api/v1/reports?kind=week')).json();
      const report = kept.find((r: { key: string; team_id: number | null }) => r.key === week.key && r.team_id === null);
      return report?.deliveries.map((d: { address: string; status: string }) => `${d.address} ${d.status}`);
    }, { timeout: 30_000 })
    .toEqual(['ops@example.com sent']);
  const mail = (await mails(page)).find((m) => m.envelopeTo.includes('ops@example.com'))!;
  expect(mail.subject).toContain(week.key);
  const report: Report = await (await page.request.get(`/api/v1/reports/week/${week.key}`)).json();
  expect(mail.text).toContain(`评价数 Evaluations: ${report.kpis.evaluations.value}`);
  expect(mail.text).toContain(`平均综合得分 Average total score: ${report.kpis.average_total.value!.toFixed(2)}`);
  const minutes = report.kpis.average_handling_minutes.value!;
  expect(mail.text).toContain(`平均处理时长 Average handling time: ${durationWords(minutes)} / ${durationWords(minutes, 'en')}`);
  expect(mail.html).toContain(`/reports/week/${week.key}`);

  // The kept report and its mail in the list.
  await page.reload();
  const kept = page.locator('article.report-kept').filter({ hasText: 'ops@example.com' });
  await expect(kept).toHaveCount(1);
  await expect(kept).toContainText(`第${Number(week.key.slice(6))}周`);
  await expect(kept).toContainText('已发送');

  // The link in the mail opens, in a new tab, the report for whoever follows it.
  const link = /href="([^"]+)"/.exec(mail.html)![1].replace(/^https?:\/\/[^/]+/, '');
  const tab = await page.context().newPage();
  await tab.goto(link.replace(/&amp;/g, '&'));
  await expect(tab).toHaveURL(new RegExp(`/admin/reports/week/${week.key}$`));
  await expect(tab.locator('#report-kpis')).toContainText(String(report.kpis.evaluations.value));
  await expectAccessible(tab);
  await tab.close();
});
