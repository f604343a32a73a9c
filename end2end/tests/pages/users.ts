import { expect, type Page } from '@playwright/test';
import { openTitled } from './shell';

/** The admin's user list: search, filters, the table and the dialogs of its rows. */
export class UsersPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/users', '用户管理');
  }

  /** Searches for `text` and waits for the list of its `found` users (the list before the
   *  search may show the same rows: a row clicked before the answer lands is replaced). */
  async search(text: string, found = 1) {
    await this.page.getByRole('searchbox', { name: '搜索' }).fill(text);
    await this.page.getByRole('button', { name: '查询' }).click();
    await expect(this.page).toHaveURL(`/admin/users?q=${encodeURIComponent(text)}`);
    await expect(this.count()).toHaveText(new RegExp(`^共 ${found} 名用户`));
  }

  table() {
    return this.page.getByRole('table', { name: '用户列表' });
  }

  row(name: string) {
    return this.table().getByRole('row', { name: new RegExp(name) });
  }

  count() {
    return this.page.getByText(/^共 \d+ 名用户/);
  }

  dialog() {
    return this.page.getByRole('dialog');
  }

  async disable(name: string) {
    await this.row(name).getByRole('button', { name: `停用 ${name}` }).click();
    await expect(this.dialog().getByRole('heading', { name: `停用 ${name}？` })).toBeVisible();
    await this.dialog().getByRole('button', { name: '停用', exact: true }).click();
    await expect(this.dialog()).toBeHidden();
  }

  announcement() {
    return this.page.getByRole('main').getByRole('status');
  }
}

/** The create-user form. */
export class NewUserPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/users/new', '新建用户');
  }

  async createAgent(name: string, employeeNo: string, team: string) {
    await this.page.getByLabel('角色').selectOption({ label: '服务人员' });
    await this.page.getByLabel('姓名').fill(name);
    await this.page.getByLabel('工号').fill(employeeNo);
    await this.page.getByLabel('团队').selectOption({ label: team });
    await this.page.getByRole('button', { name: '创建用户' }).click();
  }
}

/** The CSV import page. */
export class ImportPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/users/import', '批量导入用户');
  }

  async upload(name: string, csv: string) {
    await this.page.getByLabel('CSV 文件').setInputFiles({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    const upload = this.page.getByRole('button', { name: '上传并导入' });
    await expect(upload).toBeEnabled();
    await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith('/api/v1/users/import')),
      upload.click(),
    ]);
  }

  report() {
    return this.page.getByRole('table', { name: '问题清单' });
  }
}
