import { test, expect } from './fixtures';
import { signInByApi } from './pages/login';
import { CatalogPage, RecordsPage, SettingsPage } from './pages/admin-config';

const HEADER =
  'external_id,customer,agent,service_type,channel,started_at,ended_at,order_no,urgency,category,tags,' +
  'requested_at,first_response_at,resolved_at,resolved_first_contact';

test('the admin adds a service type with its own ordered dimensions, one optional', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const catalog = new CatalogPage(page);
  await catalog.open();
  await a11y();

  await catalog.startType('video_support', '视频客服', 'Video support');
  await catalog.addDimension('服务态度');
  await catalog.addDimension('问题解决');
  await catalog.addDimension('附加价值');
  await catalog.markOptional('附加价值');
  await catalog.moveUp('问题解决');
  await a11y();
  await catalog.save();

  await expect(page.getByRole('main').getByRole('status').filter({ hasText: '已保存' })).toHaveText('已保存 视频客服。');
  await expect(catalog.typeRow('视频客服')).toContainText('问题解决, 服务态度, 附加价值 (选填)');
  await expect(catalog.typeRow('视频客服')).toContainText('使用中');

  const stored = await (await page.request.get('/api/v1/catalog')).json();
  const created = stored.service_types.find((t: { code: string }) => t.code === 'video_support');
  expect(created.dimensions).toEqual([
    { code: 'resolution', optional: false },
    { code: 'attitude', optional: false },
    { code: 'added_value', optional: true },
  ]);
});

test('a records file with a bad row imports nothing; the fixed file imports and its records are listed', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const records = new RecordsPage(page);
  await records.open();

  const stamp = Date.now();
  const first = `E2E-${stamp}-1`;
  const second = `E2E-${stamp}-2`;
  const row = (id: string, start: string) =>
    `${id},C000001,E1001,in_store,offline,${start},2025-01-15 10:20,,normal,consultation,,2025-01-15 10:00,2025-01-15 10:03,2025-01-15 10:30,true`;
  const good = row(first, '2025-01-15 10:05');
  const bad = row(second, '2025-01-15 25:99');
  const fixed = row(second, '2025-01-15 10:06');

  await records.choose('records.csv', `\ufeff${HEADER}\n${good}\n${bad}\n`);
  await expect(page.getByText('文件中有 1 行存在问题，无法导入。')).toBeVisible();
  await expect(page.getByText('没有导入任何记录。请修改文件后重新选择。')).toBeVisible();
  const problem = records.report().getByRole('row', { name: /开始时间/ });
  await expect(problem.getByRole('cell').nth(0)).toHaveText('3');
  await expect(problem.getByRole('cell').nth(2)).toHaveText('时间格式不对，请写成 2026-11-22 10:15（北京时间）。');
  await expect(records.importButton()).toHaveCount(0);
  await a11y();
  const none = await (await page.request.get('/api/v1/service-records?from=2025-01-15&to=2025-01-15&service_type=in_store')).json();
  expect(none.records.map((r: { external_id: string }) => r.external_id)).not.toContain(first);

  await records.choose('records.csv', `\ufeff${HEADER}\n${good}\n${fixed}\n`);
  await expect(page.getByText('共 2 行：新记录 2 条，已存在 0 条。')).toBeVisible();
  await expect(records.preview().getByRole('row', { name: new RegExp(second) })).toContainText('新记录');
  await records.importButton().click();
  await expect(page.getByText('已导入 2 条服务记录（0 条已存在，未改动）。')).toBeVisible();

  await records.filter('2025-01-15', '2025-01-15', '到店业务办理');
  await expect(page).toHaveURL(/from=2025-01-15&to=2025-01-15&service_type=in_store/);
  const listed = records.list().getByRole('row', { name: new RegExp(second) });
  await expect(listed).toContainText('2025-01-15 10:06');
  await expect(listed).toContainText('138****0001');
  await expect(listed).toContainText('张伟');
  await expect(listed).toContainText('到店业务办理');
  await expect(records.list().getByRole('row', { name: new RegExp(first) })).toBeVisible();
  await a11y();
});

test('a changed setting is kept, shown after a reload and applied by the server', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const settings = new SettingsPage(page);
  await settings.open();
  await expect(settings.field('满意阈值')).toHaveValue('8');

  // A callback threshold above the satisfaction threshold is refused beside the field.
  await settings.field('回访阈值').fill('9');
  await settings.save();
  await expect(page.getByText('回访阈值必须低于满意阈值。')).toBeVisible();
  await expect(settings.field('回访阈值')).toBeFocused();
  await expect(settings.field('回访阈值')).toHaveValue('9');
  await a11y();

  await settings.field('回访阈值').fill('6');
  await settings.field('满意阈值').fill('9');
  await settings.save();
  await expect(page.getByText('设置已保存，已立即生效。')).toBeVisible();

  await page.reload();
  await expect(settings.field('满意阈值')).toHaveValue('9');
  const stored = await (await page.request.get('/api/v1/settings')).json();
  expect(stored.satisfaction_threshold).toBe(9);

  // Other specs expect the defaults.
  const restored = await page.request.put('/api/v1/settings', { data: { ...stored, satisfaction_threshold: 8 } });
  expect(restored.ok()).toBeTruthy();
});

test('a year of holidays is entered in bulk, a refused line is named, and a day is removed', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  await page.goto('/admin/calendar');
  await expect(page.getByRole('heading', { level: 1, name: '工作日历' })).toBeVisible();
  await page.getByRole('button', { name: '下一年' }).click();
  await expect(page.getByRole('heading', { name: '批量录入 2027 年' })).toBeVisible();

  const lines = page.getByLabel('日期清单');
  // 2027-10-11 is a Monday: a make-up workday must fall on a weekend, which the server checks.
  await lines.fill('2027-10-01,holiday,国庆节\n2027-10-09,workday,国庆节调休\n2027-10-11,workday,错误');
  await page.getByRole('button', { name: '替换全年日期' }).click();
  await expect(page.getByText('第 3 行： 调休上班日必须是周六或周日。')).toBeVisible();
  await expect(lines).toHaveValue(/2027-10-11,workday,错误/);
  await a11y();

  await lines.fill('2027-10-01,holiday,国庆节\n2027-10-09,workday,国庆节调休');
  await page.getByRole('button', { name: '替换全年日期' }).click();
  await expect(page.getByText('2027 年的日期已替换，共 2 天。')).toBeVisible();
  await expect(page.getByText('法定节假日 1 天，调休上班 1 天。')).toBeVisible();

  await page.getByRole('button', { name: '删除 2027-10-09 周六' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: '删除 2027-10-09 国庆节调休？' })).toBeVisible();
  await dialog.getByRole('button', { name: '删除' }).click();
  await expect(page.getByText('已删除 2027-10-09 国庆节调休。')).toBeVisible();
  const stored = await (await page.request.get('/api/v1/calendar?year=2027')).json();
  expect(stored.days).toEqual([{ date: '2027-10-01', kind: 'holiday', name: '国庆节' }]);
});

test('an API key is created with its secret shown once, then revoked', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  await page.goto('/admin/api-keys');
  await expect(page.getByRole('heading', { level: 1, name: 'API 密钥' })).toBeVisible();
  await page.getByLabel('名称').fill('helpdesk-e2e');
  await page.getByRole('button', { name: '创建密钥' }).click();
  await expect(page.getByRole('heading', { name: '密钥 helpdesk-e2e 已创建' })).toBeVisible();
  await expect(page.getByText('请立即复制并妥善保存')).toBeVisible();
  const secret = await page.getByLabel('密钥', { exact: true }).inputValue();
  expect(secret.length).toBeGreaterThan(20);
  const row = page.getByRole('table', { name: '全部密钥' }).getByRole('row', { name: /helpdesk-e2e/ });
  await expect(row).toContainText('有效');
  await a11y();

  await row.getByRole('button', { name: '吊销 helpdesk-e2e' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: '吊销密钥 helpdesk-e2e？' })).toBeVisible();
  await dialog.getByRole('button', { name: '吊销' }).click();
  await expect(page.getByText('已吊销 helpdesk-e2e。')).toBeVisible();
  await expect(row).toContainText('已于');
  const keys = await (await page.request.get('/api/v1/api-keys')).json();
  expect(keys.find((k: { name: string }) => k.name === 'helpdesk-e2e').revoked_at).not.toBeNull();
});
