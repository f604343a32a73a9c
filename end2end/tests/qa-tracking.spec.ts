import { test, expect } from './fixtures';
import { signInByApi } from './pages/login';

// Issue 24: the rectification tracking list (整改跟踪) was 409 full-height cards on one page
// (216,000 px) and the QA home 36,900 px. Both are paged now: the list twenty at a time with
// what needs action first, its tabs counted, its filters in the address; the home the first
// five of each list with a link to the rest.

type Rect = { id: number; status: string; overdue: boolean; agent: { id: number } };
type Page = { rectifications: Rect[]; total: number; counts: { reported: number; overdue: number } };

const pageHeight = (page: import('@playwright/test').Page) =>
  page.evaluate(() => document.documentElement.scrollHeight);

test('the rectification list is paged and filtered on the server, what needs action first', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'Q0001');
  await page.goto('/qa/rectifications');
  await expect(page.getByRole('heading', { level: 1, name: '整改跟踪' })).toBeVisible();
  const list = page.getByTestId('rect-list');
  await expect(list.locator(':scope > li')).toHaveCount(20);
  const all = (await (await page.request.get('/api/v1/qa/rectifications')).json()) as Page;
  expect(all.total).toBeGreaterThan(100);
  await expect(page.locator('.list-count')).toContainText(`共 ${all.total} 条整改`);
  // Awaiting a re-check first, then overdue: the first card is one the inspector can act on.
  expect(all.rectifications[0].status).toBe('reported');
  await expect(list.locator(':scope > li').first().getByRole('button', { name: /复查通过/ })).toBeVisible();
  // A page is a page, not the whole table.
  expect(await pageHeight(page)).toBeLessThan(16_000);
  await a11y();

  // The tabs carry their counts; the overdue tab lists only overdue ones.
  const overdueTab = page.getByRole('navigation', { name: '按状态筛选' }).getByRole('link', { name: /已逾期/ });
  await expect(overdueTab).toContainText(`(${all.counts.overdue})`);
  await overdueTab.click();
  await expect(page).toHaveURL(/status=overdue/);
  await expect(list.locator(':scope > li').first()).toContainText('已逾期');

  // The next page, then a filter by agent kept in the address with the tab.
  await page.getByRole('link', { name: '全部' }).first().click();
  await page.getByRole('navigation', { name: /分页|Paging/ }).getByRole('link', { name: /下一页/ }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByText(/第 2 \/ \d+ 页/)).toBeVisible();
  const agent = all.rectifications[0].agent.id;
  await page.locator('#rect-agent').selectOption(String(agent));
  await page.getByRole('button', { name: '筛选', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`agent_id=${agent}`));
  await expect(page).not.toHaveURL(/page=2/);
  const mine = (await (await page.request.get(`/api/v1/qa/rectifications?agent_id=${agent}`)).json()) as Page;
  await expect(page.locator('.list-count')).toContainText(`共 ${mine.total} 条整改`);
  expect(mine.total).toBeLessThan(all.total);
  await page.reload();
  await expect(page.locator('#rect-agent')).toHaveValue(String(agent));
  await a11y();

  // Filters that match nothing say so, with the way back.
  await page.goto('/qa/rectifications?from=2000-01-01&to=2000-01-02');
  await expect(page.getByText('没有符合条件的整改。请调整或清除筛选。')).toBeVisible();
  await page.getByRole('link', { name: '清除筛选' }).click();
  await expect(list.locator(':scope > li')).toHaveCount(20);
});

test('the QA home shows the first few of each list and the way to the rest', async ({ page, browser, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  await page.goto('/qa');
  await expect(page.getByRole('heading', { level: 1, name: '质检工作台' })).toBeVisible();
  const home = await (await page.request.get('/api/v1/qa/home')).json();
  expect(home.overdue.length).toBeLessThanOrEqual(5);
  expect(home.overdue_total).toBeGreaterThan(home.overdue.length);
  await expect(page.getByRole('heading', { name: `逾期整改 (${home.overdue_total})` })).toBeVisible();
  expect(await pageHeight(page)).toBeLessThan(12_000);
  await a11y();
  await page.getByTestId('qa-see-all-overdue').click();
  await expect(page).toHaveURL(/\/qa\/rectifications\?status=overdue$/);
  await expect(page.locator('.list-count')).toContainText(`共 ${home.overdue_total} 条整改`);
  await a11y();

  // The plans a page at a time, the state tab in the address and kept after a reload.
  await page.goto('/qa/plans?state=finished');
  const finished = await (await page.request.get('/api/v1/qa/plans?state=finished')).json();
  await expect(page.locator('.list-count')).toContainText(`共 ${finished.total} 个检测计划`);
  await page.reload();
  const stateTabs = page.getByRole('navigation', { name: '按状态筛选' });
  await expect(stateTabs.getByRole('link', { name: /已完成/ })).toHaveAttribute('aria-current', 'page');
  expect(await pageHeight(page)).toBeLessThan(8_000);
  await a11y();

  // A plan's records: 25 a page from the server, the status filter and page kept on reload.
  const planId = finished.plans[0].id as number;
  await page.goto(`/qa/plans/${planId}?status=inspected`);
  const rows = page.getByTestId('qa-sample-table').locator('tbody tr');
  await expect(rows).toHaveCount(25);
  await page.getByRole('navigation', { name: /分页|Paging/ }).getByRole('link', { name: /下一页/ }).click();
  await expect(page).toHaveURL(/status=inspected&page=2/);
  await page.reload();
  await expect(page.getByText(/第 2 \/ \d+ 页/)).toBeVisible();
  await expect(stateTabs.getByRole('link', { name: /已检查/ })).toHaveAttribute('aria-current', 'page');
  expect(await pageHeight(page)).toBeLessThan(10_000);
  await a11y();

  // 我的质检 of the agent with the most rectifications (62 in the demo): ten a page, what
  // awaits their report first, the page kept in the address.
  const context = await browser.newContext();
  const agent = await context.newPage();
  await signInByApi(agent, 'staff', 'E1014');
  await agent.goto('/agent/qa');
  const mine = agent.getByTestId('my-rect-list');
  await expect(mine.locator(':scope > li')).toHaveCount(10);
  await expect(agent.getByTestId('my-awaiting-report')).toBeVisible();
  await expect(mine.getByRole('button', { name: '提交整改结果' }).first()).toBeVisible();
  expect(await pageHeight(agent)).toBeLessThan(30_000);
  await agent.getByRole('navigation', { name: /分页|Paging/ }).first().getByRole('link', { name: /下一页/ }).click();
  await expect(agent).toHaveURL(/rectifications_page=2/);
  await agent.reload();
  await expect(agent.getByText(/第 2 \/ \d+ 页/).first()).toBeVisible();
  await context.close();
});
