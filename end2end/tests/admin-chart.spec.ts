import { test, expect } from './fixtures';
import { AdminOverview } from './pages/admin-overview';
import { signInByApi } from './pages/login';

test('the admin overview draws the real service volume and loads ECharts only then', async ({ page, a11y }) => {
  // The figures are for admins only: sign in, then ask with the page's session.
  await signInByApi(page, 'staff', 'A0001');
  const api = await page.request.get('/api/v1/stats/service-volume?days=90');
  expect(api.ok()).toBeTruthy();
  const volume = await api.json();
  expect(volume.total).toBeGreaterThan(5000);
  const perChannel = Object.fromEntries(
    volume.series.map((s: { channel: string; counts: number[] }) => [s.channel, s.counts.reduce((a, b) => a + b, 0)]),
  );

  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  const overview = new AdminOverview(page);
  await overview.open();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('管理概览');

  const chart = overview.chart('近 90 天每日服务记录量（按渠道）');
  await expect(chart).toBeVisible();
  // ECharts drew into the chart's own element.
  await expect(chart.locator('canvas').first()).toBeVisible();
  await expect(page.getByRole('main')).toContainText(
    `近 90 天共 ${volume.total} 条服务记录：线上 ${perChannel.online} 条，线下 ${perChannel.offline} 条。`,
  );
  expect(scripts).toContain('/vendor/echarts.min.js');
  // Today (in Shanghai, the last day of the answer) is still running: marked as partial, not a
  // drop. Its segment is drawn lighter in a band named for it, and the text says so.
  const today = (volume.days as string[]).at(-1)!;
  await expect(page.getByRole('main')).toContainText(`最后一天（${today.slice(5)}）是今天，尚未结束，当天的记录数还会增加。`);
  const marked = await chart.evaluate((el) => {
    type Drawn = { series: { markArea?: { data: { name?: string; xAxis?: string }[][] } }[]; visualMap?: unknown[] };
    const echarts = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): Drawn } } }).echarts;
    const option = echarts.getInstanceByDom(el).getOption();
    const band = option.series[0].markArea?.data[0];
    return { name: band?.[0].name, to: band?.[1].xAxis, maps: option.visualMap?.length ?? 0 };
  });
  expect(marked).toEqual({ name: '今天（未结束）', to: today.slice(5), maps: 2 });
  await a11y();

  // The chart speaks the chosen language too.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Admin overview');
  const englishChart = overview.chart('Service records per day, last 90 days, by channel');
  await expect(englishChart).toBeVisible();
  await expect(englishChart.locator('canvas').first()).toBeVisible();
  await expect(page.getByRole('main')).toContainText(`${volume.total} service records in the last 90 days`);
  await expect(page.getByRole('main')).toContainText(`The last day (${today.slice(5)}) is today and not over yet`);
  await a11y();
});
