import { test, expect } from './fixtures';
import { LoginPage, signInByApi } from './pages/login';
import { ImportPage, NewUserPage, UsersPage } from './pages/users';

const HEADER = 'role,display_name,employee_no,customer_no,member_no,phone,customer_type,team,password';

test('the admin creates a user, finds it and disables it', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const form = new NewUserPage(page);
  await form.open();
  await form.createAgent('测试坐席', 'E9001', '华东一组');
  await expect(page.getByRole('main').getByRole('status')).toContainText('已创建用户 测试坐席。');
  // The form is empty again, ready for the next user.
  await expect(page.getByLabel('姓名')).toHaveValue('');
  await a11y();

  const users = new UsersPage(page);
  await users.open();
  await users.search('E9001');
  await expect(users.count()).toHaveText('共 1 名用户，当前显示第 1–1 名。');
  const row = users.row('测试坐席');
  await expect(row).toContainText('服务人员');
  await expect(row).toContainText('E9001');
  await expect(row).toContainText('华东一组');
  await expect(row).toContainText('正常');

  await users.disable('测试坐席');
  await expect(users.announcement()).toHaveText('已停用 测试坐席。');
  await expect(row).toContainText('已停用');
  await expect(row.getByRole('button', { name: '启用 测试坐席' })).toBeFocused();
  await a11y();

  const stored = await (await page.request.get('/api/v1/users?q=E9001')).json();
  expect(stored.users[0].disabled).toBe(true);
});

test('a CSV file with a bad row imports nothing and says why; the fixed file imports', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const importer = new ImportPage(page);
  await importer.open();

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: '下载 CSV 模板' }).click();
  expect((await download).suggestedFilename()).toBe('pingjia-users-template.csv');

  const good = 'agent,导入坐席,E9101,,,,,华南二组,';
  const bad = 'customer,导入客户,,C900001,,12345,new,,';
  const fixed = 'customer,导入客户,,C900001,,13900009001,new,,';
  // A byte order mark, as spreadsheet programs write it.
  await importer.upload('users.csv', `\ufeff${HEADER}\n${good}\n${bad}\n`);
  await expect(page.getByText('文件中有 1 行存在问题。')).toBeVisible();
  await expect(page.getByText('没有导入任何用户。请修改文件后重新上传。')).toBeVisible();
  const problem = importer.report().getByRole('row', { name: /手机号/ });
  await expect(problem.getByRole('cell').nth(0)).toHaveText('3');
  await expect(problem.getByRole('cell').nth(1)).toHaveText('手机号');
  await expect(problem.getByRole('cell').nth(2)).toHaveText('请输入 11 位手机号，例如 13800000001。');
  await a11y();
  for (const number of ['E9101', 'C900001']) {
    const none = await (await page.request.get(`/api/v1/users?q=${number}`)).json();
    expect(none.total, `${number} was not imported`).toBe(0);
  }

  await importer.upload('users-fixed.csv', `\ufeff${HEADER}\n${good}\n${fixed}\n`);
  await expect(page.getByText('已导入 2 个用户。')).toBeVisible();
  await expect(importer.report()).toBeHidden();
  for (const number of ['E9101', 'C900001']) {
    const found = await (await page.request.get(`/api/v1/users?q=${number}`)).json();
    expect(found.total, `${number} was imported`).toBe(1);
  }

  const users = new UsersPage(page);
  await users.open();
  await users.search('E9101');
  await expect(users.row('导入坐席')).toContainText('华南二组');
});

test('when the session ends while the admin types, signing in again returns to the kept draft', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  const form = new NewUserPage(page);
  await form.open();
  await page.getByLabel('姓名').fill('草稿坐席');
  await page.getByLabel('工号').fill('E9201');
  // The session ends on the server (as after its idle timeout) while the form is open.
  expect((await page.request.post('/api/v1/auth/logout')).status()).toBe(204);

  await page.getByRole('button', { name: '创建用户' }).click();
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent('/admin/users/new')}`);
  await expect(page.getByRole('main').getByRole('status')).toHaveText('您的登录已过期，请重新登录。登录后将回到刚才的页面。');
  await a11y();
  await new LoginPage(page).signIn('staff', 'A0001');

  await expect(page).toHaveURL('/admin/users/new');
  await expect(page.getByText('已恢复您之前填写但尚未提交的内容。')).toBeVisible();
  await expect(page.getByLabel('姓名')).toHaveValue('草稿坐席');
  await expect(page.getByLabel('工号')).toHaveValue('E9201');
  await page.getByRole('button', { name: '创建用户' }).click();
  await expect(page.getByRole('main').getByRole('status').filter({ hasText: '已创建用户' })).toHaveText(/已创建用户 草稿坐席。/);
  await a11y();
});

test('the admin creates a team, renames it, gives it a lead and moves an agent into it', async ({ page, a11y }) => {
  await signInByApi(page, 'staff', 'A0001');
  // A team lead who leads no team yet.
  const lead = await page.request.post('/api/v1/users', {
    data: { role: 'team_lead', display_name: '新主管', employee_no: 'L9001' },
  });
  expect(lead.status()).toBe(201);

  await page.goto('/admin/teams');
  await expect(page.getByRole('heading', { level: 1, name: '团队管理' })).toBeVisible();
  await page.getByLabel('中文名称').fill('测试三组');
  await page.getByLabel('英文名称').fill('Test Team 3');
  await page.getByRole('button', { name: '创建团队' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText('已创建团队 测试三组。');
  const teams = page.getByRole('table', { name: '团队管理' });
  await expect(teams.getByRole('row', { name: /测试三组/ })).toContainText('暂无主管');
  await a11y();

  await teams.getByRole('button', { name: '编辑 测试三组' }).click();
  const dialog = page.getByRole('dialog', { name: '编辑团队：测试三组' });
  await expect(dialog.getByLabel('英文名称')).toHaveValue('Test Team 3');
  await dialog.getByLabel('中文名称').fill('测试四组');
  await dialog.getByLabel('主管').selectOption({ label: '新主管 (L9001)' });
  await a11y();
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('main').getByRole('status')).toHaveText('已保存团队 测试四组。');
  const renamed = teams.getByRole('row', { name: /测试四组/ });
  await expect(renamed).toContainText('新主管');
  await expect(renamed.getByRole('cell').nth(1)).toHaveText('1');

  const users = new UsersPage(page);
  await users.open();
  await users.search('E1006');
  await users.row('杨磊').getByRole('button', { name: '编辑 杨磊' }).click();
  const edit = page.getByRole('dialog', { name: '编辑用户：杨磊' });
  await edit.getByLabel('团队').selectOption({ label: '测试四组' });
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(users.announcement()).toHaveText('已保存 杨磊 的更改。');
  await expect(users.row('杨磊')).toContainText('测试四组');
});
