import { expect, type Page } from '@playwright/test';
import { openTitled } from './shell';

/** The catalogue: service types in order and the dimension library, with their dialogs. */
export class CatalogPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/catalog', '评价类型与维度');
  }

  dialog() {
    return this.page.getByRole('dialog');
  }

  types() {
    return this.page.getByRole('table', { name: '评价类型' });
  }

  typeRow(name: string) {
    return this.types().getByRole('row', { name: new RegExp(name) });
  }

  /** Opens the new-type dialog and fills its code and names. */
  async startType(code: string, nameZh: string, nameEn: string) {
    await this.page.getByRole('button', { name: '新建评价类型' }).click();
    const dialog = this.dialog();
    await expect(dialog.getByRole('heading', { name: '新建评价类型' })).toBeVisible();
    await dialog.getByLabel('代码').fill(code);
    await dialog.getByLabel('中文名称').fill(nameZh);
    await dialog.getByLabel('英文名称').fill(nameEn);
  }

  async addDimension(name: string) {
    const dialog = this.dialog();
    await dialog.getByLabel('可添加的维度').selectOption({ label: name });
    await dialog.getByRole('button', { name: '添加维度' }).click();
    await expect(dialog.getByRole('listitem').filter({ hasText: name })).toBeVisible();
  }

  async markOptional(name: string) {
    await this.dialog().getByRole('checkbox', { name: `${name} 选填` }).check();
  }

  async moveUp(name: string) {
    await this.dialog().getByRole('button', { name: `上移 ${name}` }).click();
  }

  async save() {
    await this.dialog().getByRole('button', { name: '保存' }).click();
    await expect(this.dialog()).toBeHidden();
  }
}

/** The service records: the import panel, the filters and the list. */
export class RecordsPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/records', '服务记录');
  }

  /** Chooses a CSV file; the page checks it (dry run) at once. */
  async choose(name: string, csv: string) {
    await Promise.all([
      this.page.waitForResponse((r) => r.url().includes('/api/v1/service-records/import?dry_run=true')),
      this.page.getByLabel('CSV 文件').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) }),
    ]);
  }

  report() {
    return this.page.getByRole('table', { name: '问题清单' });
  }

  preview() {
    return this.page.getByRole('table', { name: '预览（前 10 行）' });
  }

  importButton() {
    return this.page.getByRole('button', { name: '导入', exact: true });
  }

  async filter(from: string, to: string, type: string) {
    const filters = this.page.getByRole('search');
    await filters.getByLabel('开始日期').fill(from);
    await filters.getByLabel('结束日期').fill(to);
    await filters.getByLabel('评价类型').selectOption({ label: type });
    await filters.getByRole('button', { name: '筛选' }).click();
  }

  list() {
    return this.page.getByRole('table', { name: '服务记录列表' });
  }
}

/** The settings form. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async open() {
    await openTitled(this.page, '/admin/settings', '系统设置');
  }

  field(label: string) {
    return this.page.getByLabel(label, { exact: true });
  }

  async save() {
    await this.page.getByRole('button', { name: '保存设置' }).click();
  }
}
