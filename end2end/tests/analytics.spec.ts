import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { signInByApi, DEMO_PASSWORD } from './pages/login';
import { awaitingRecords, formDimensions } from './pages/rating';
import { durationWords } from './pages/format';

// Issue 9's "done when": the admin opens the dashboard, every chart shows data, changing the
// filter changes them, a click on a bar opens the matching evaluations, the word cloud shows
// Chinese words from the demo suggestions, the CSV downloads and its rows match the list; and
// a suggestion with markup and script stays inert text in every view.

const SECTIONS = ['trend', 'dimensions', 'segments', 'distribution', 'radar', 'words'];
/** Built-in stop words (server/data/stopwords-*.txt) the cloud must leave out: fillers, and the
 * words of customer service nearly every suggestion holds (issue 24). */
const STOP_WORDS = [
  '我们', '但是', '因为', '这个', '非常', '觉得', '没有',
  '问题', '客服', '回复', '建议', '解决', '服务', '处理',
  'took', 'three', 'first', 'need', 'times', 'service', 'issue', 'agent',
];

type Series = { type: string; data: unknown[] };
type Option = { series: Series[] };

/** The ECharts option every chart of the page is showing, per section. */
async function drawnCharts(page: Page): Promise<Record<string, Option[]>> {
  return page.evaluate((sections) => {
    const echarts = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): Option } | undefined } }).echarts;
    const out: Record<string, Option[]> = {};
    for (const name of sections) out[name] = [];
    // ECharts loads with the first chart.
    if (!echarts) return out;
    for (const name of sections) {
      const els = document.querySelectorAll(`section[aria-labelledby="${name}-title"] .echart-canvas`);
      out[name] = [...els].map((el) => {
        const option = echarts.getInstanceByDom(el)?.getOption();
        return { series: (option?.series ?? []).map((s) => ({ type: s.type, data: s.data ?? [] })) };
      });
    }
    return out;
  }, SECTIONS);
}

/** Waits until every section has a drawn chart with data in each series. */
async function expectEveryChartDrawn(page: Page) {
  await expect.poll(async () => {
    const charts = await drawnCharts(page);
    return SECTIONS.filter((s) => {
      const options = charts[s];
      return !options.length || options.some((o) => !o.series.length || o.series.every((x) => !x.data.length));
    });
  }, { message: 'sections whose chart is missing or empty' }).toEqual([]);
}

/** The sum of the overall-score distribution bars as drawn. */
async function distributionTotal(page: Page): Promise<number> {
  const charts = await drawnCharts(page);
  const bars = charts.distribution[0].series.flatMap((s) => s.data as (number | { value: number } | null)[]);
  return bars.reduce<number>((sum, v) => sum + (typeof v === 'number' ? v : v?.value ?? 0), 0);
}

function listTotal(page: Page) {
  return page.getByText(/^共 \d+ 条评价/);
}

async function totalShown(page: Page): Promise<number> {
  const text = (await listTotal(page).textContent()) ?? '';
  return Number(/^共 (\d+) 条评价/.exec(text)![1]);
}

test('the admin reads every chart, filters, drills into a bar and a word, and exports the list', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  await page.goto('/admin/analytics');
  await expect(page.getByRole('heading', { level: 1, name: '数据分析' })).toBeVisible();
  await expectEveryChartDrawn(page);
  const kpis = await (await page.request.get('/api/v1/analytics/kpis')).json();
  const kpiCard = page.locator('section[aria-labelledby="kpis-title"]');
  await expect(kpiCard).toContainText(String(kpis.evaluations.value));
  // The average handling time in minutes, or hours and minutes (as the report says it).
  const handling = kpiCard.locator('.kpi-card').filter({ hasText: '平均处理时长' });
  await expect(handling.locator('.kpi-value')).toHaveText(durationWords(kpis.average_handling_minutes.value));
  await expect(handling.locator('.kpi-value')).toHaveText(/^\d+ (分钟|小时)( \d+ 分钟)?$/);
  expect(await distributionTotal(page)).toBe(kpis.evaluations.value);
  await a11y();

  // The word cloud: Chinese words of the demo suggestions, no single characters, no stop words.
  const words = (await drawnCharts(page)).words[0].series[0].data as { name: string }[];
  const terms = words.map((w) => w.name);
  expect(terms.filter((t) => /[\u4e00-\u9fff]{2,}/.test(t)).length).toBeGreaterThan(10);
  expect(terms.filter((t) => [...t].length < 2)).toEqual([]);
  expect(terms.filter((t) => STOP_WORDS.includes(t))).toEqual([]);

  // Filtering by channel changes the figures: the URL holds the filter, the charts follow.
  await page.getByLabel('渠道', { exact: true }).selectOption({ label: '线下' });
  await expect(page).toHaveURL(/[?&]channel=offline/);
  const offline = await (await page.request.get(`/api/v1/analytics/kpis${new URL(page.url()).search}`)).json();
  expect(offline.evaluations.value).toBeLessThan(kpis.evaluations.value);
  await expect.poll(() => distributionTotal(page)).toBe(offline.evaluations.value);
  await expectEveryChartDrawn(page);

  // A click on the bar of overall 10 opens the evaluations behind it.
  const search = new URL(page.url()).search;
  const distribution = await (await page.request.get(`/api/v1/analytics/distribution${search}`)).json();
  await page.locator('section[aria-labelledby="distribution-title"] .echart-canvas').first().scrollIntoViewIfNeeded();
  const point = await page.evaluate(() => {
    const el = document.querySelector('section[aria-labelledby="distribution-title"] .echart-canvas')!;
    const echarts = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: { data: unknown[] }[] }; convertToPixel(finder: object, value: unknown[]): number[] } } }).echarts;
    const chart = echarts.getInstanceByDom(el);
    // The bars are series over the categories 1..10; find the one holding overall 10.
    const series = chart.getOption().series;
    const index = series.findIndex((s) => { const v = s.data[9] as number | { value: number } | null; return v !== null && v !== undefined && (typeof v === 'number' ? v : v.value) > 0; });
    const raw = series[index].data[9] as number | { value: number };
    const value = typeof raw === 'number' ? raw : raw.value;
    const [x, y] = chart.convertToPixel({ seriesIndex: index }, [9, value]);
    const [, bottom] = chart.convertToPixel({ seriesIndex: index }, [9, 0]);
    const box = el.getBoundingClientRect();
    return { x: box.left + x, y: box.top + (y + bottom) / 2 };
  });
  await page.mouse.click(point.x, point.y);
  await expect(page).toHaveURL(/\/admin\/analytics\/evaluations\?.*overall=10/);
  await expect(page).toHaveURL(/channel=offline/);
  await expect(listTotal(page)).toBeVisible();
  expect(await totalShown(page)).toBe(distribution.overall[9]);
  await a11y();

  // A row's number is a link (reached with the keyboard) to that evaluation's page, which
  // leads back to the same list.
  const listUrl = page.url();
  const opened = page.locator('.drill-table tbody tr').first().getByRole('link');
  const number = (await opened.textContent())!.trim();
  expect(number).toMatch(/^PJ\d{8}-\d{6}$/);
  await opened.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/admin/analytics/evaluations/${number}\\?.*overall=10`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`评价 ${number}`);
  await expect(page.locator('#evaluation-number')).toContainText(number);
  await expect(page.locator('.dimension-scores .fact').first()).toBeVisible();
  await a11y();
  await page.getByRole('link', { name: '返回评价明细' }).click();
  await expect(page).toHaveURL(listUrl);
  await expect(listTotal(page)).toBeVisible();

  // Back on the dashboard, a word of the cloud (its keyboard list) lists the evaluations with it.
  await page.getByRole('link', { name: '返回数据分析' }).click();
  await expect(page).toHaveURL(/\/admin\/analytics\?/);
  await page.getByText('以列表查看词语').click();
  const firstWord = page.locator('ul.word-list a').first();
  const word = (await firstWord.textContent())!.trim();
  await firstWord.click();
  await expect(page).toHaveURL(/\/admin\/analytics\/evaluations\?.*word=/);
  const drillSearch = new URL(page.url()).search;
  const listed = await (await page.request.get(`/api/v1/analytics/evaluations${drillSearch}&per_page=100`)).json();
  const wordCloud = await (await page.request.get(`/api/v1/analytics/words${drillSearch}`)).json();
  const counted = wordCloud.terms.find((t: { term: string }) => t.term === word).count;
  await expect(listTotal(page)).toBeVisible();
  expect(await totalShown(page)).toBe(counted);
  expect(listed.total).toBe(counted);

  // The CSV of this list: a BOM, a header, and the listed evaluations in the same order. The
  // link downloads (Debian's headless Chromium cancels downloads under Playwright, so its
  // file is fetched as the link would, with the page's session).
  const link = page.getByRole('link', { name: '导出 CSV' });
  await expect(link).toHaveAttribute('download', '');
  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.ok()).toBeTruthy();
  expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="pingjia-evaluations-.*\.csv"$/);
  const bytes = await response.body();
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.subarray(3).toString('utf8').trim().split(/\r?\n/);
  expect(lines[0]).toMatch(/^评价编号 Number,/);
  const numbers = lines.slice(1).map((l) => l.split(',')[0]);
  expect(numbers).toEqual(listed.evaluations.map((e: { number: string }) => e.number));
  await a11y();
});

test('a suggestion with markup and script stays text in every view', async ({ page, browser, a11y }) => {
  const marker = `xss${Date.now()}`;
  const hostile = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> ${marker} 物流太慢`;
  // A demo customer rates one of their records with it.
  const customer = await browser.newContext();
  const login = await customer.request.post('/api/v1/auth/login', { data: { kind: 'customer', login: '13800000002', password: DEMO_PASSWORD } });
  expect(login.ok()).toBeTruthy();
  const records = await awaitingRecords(customer.request);
  // Leave E1012's records (the throttle test locks that agent out) and the burst agent's alone.
  const record = records.find((r) => r.agent_no !== 'E1012')!;
  const dimensions = await formDimensions(customer.request, record.id);
  const scores = Object.fromEntries(dimensions.map((d, i) => [d.code, i % 2 === 0 ? 2 : 3]));
  const rated = await customer.request.post('/api/v1/evaluations', {
    headers: { 'Idempotency-Key': `e2e-xss-${record.id}-${Date.now()}` },
    data: { service_record_id: record.id, scores, overall: 4, suggestion: hostile, form_seconds: 75 },
  });
  expect(rated.status()).toBe(201);
  const number = (await rated.json()).number as string;
  await customer.close();

  await page.addInitScript(() => { (window as unknown as { __pwned?: number }).__pwned = 0; });
  await signInByApi(page, 'staff', 'A0001');
  // The drill-down list of the word: the suggestion as text.
  await page.goto(`/admin/analytics/evaluations?word=${marker}`);
  const row = page.getByRole('row').filter({ hasText: number });
  await expect(row).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(row).toContainText('<script>');
  await expect(page.locator('main img[src="x"]')).toHaveCount(0);
  await a11y();
  // The dashboard with its word cloud of complaints (rich-text tooltips, no HTML).
  await page.goto('/admin/analytics');
  await expectEveryChartDrawn(page);
  const words = (await drawnCharts(page)).words[0].series[0].data as { name: string }[];
  expect(words.every((w) => !/[<>]/.test(w.name))).toBeTruthy();
  await a11y();
  // The review of the evaluation and the agent's view show it as text too.
  await page.goto(`/admin/analytics/evaluations?overall=4&word=${marker}`);
  await expect(page.getByRole('row').filter({ hasText: number })).toContainText('<script>');
  // So does the evaluation's own page, which its number opens.
  await page.getByRole('link', { name: number }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`评价 ${number}`);
  await expect(page.locator('.suggestion-text')).toContainText(`<script>window.__pwned=2</script> ${marker}`);
  await expect(page.locator('main img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(0);
});
