import { test, expect, expectAccessible } from './fixtures';
import { signInByApi } from './pages/login';
import {
  AppealFormPage,
  AppealQueue,
  EvaluationView,
  MyAppealsPage,
  fileAppealByApi,
  rateNextByApi,
} from './pages/appeals';

// Appeals (申诉) on the demo data: the customer 13800000002 rates records of their own through
// the API, appeals in the app, and the admin A0001 decides in the app. The server runs on the
// real clock, so "after the window" is one of the demo evaluations submitted days ago.

const CUSTOMER = '13800000002';
const ADMIN = 'A0001';

test('a customer appeals with corrected scores, the admin approves an edited change, and the customer sees the new version and why', async ({ page, browser, a11y }) => {
  await signInByApi(page, 'customer', CUSTOMER);
  const { number, dimensions } = await rateNextByApi(page.request, 2, 4);
  const [first, second] = dimensions;

  // The evaluation, just submitted: recorded, with the time left to appeal.
  const view = new EvaluationView(page);
  await view.open(number);
  await expect(view.statusPanel()).toContainText('已记录');
  await expect(view.statusPanel()).toContainText(/申诉剩余 2[34] 小时/);
  await a11y();
  await view.appealLink().click();

  const form = new AppealFormPage(page);
  await expect(form.heading()).toBeVisible();
  await expect(page).toHaveURL(`/customer/evaluations/${number}/appeal`);
  // Nothing written: the message is beside the field, which gets the focus.
  await form.submit().click();
  await expect(page.getByText('请填写申诉理由。')).toBeVisible();
  await expect(form.reason()).toBeFocused();
  await form.reason().fill('选错了');
  await expect(page.getByText('申诉理由至少需要 10 个字。')).toBeVisible();
  await expect(page.getByText('3/1000')).toBeVisible();
  await form.reason().fill('我把前两项的星数选错了，服务其实不错。');
  await expect(page.getByText('申诉理由至少需要 10 个字。')).toHaveCount(0);
  // The scores wanted instead, prefilled with the current ones.
  await form.wantChange().check();
  await expect(form.stars.star(first.name_zh, 2)).toBeChecked();
  await expect(form.stars.overall(4)).toBeChecked();
  await form.stars.choose(first.name_zh, 5);
  await form.stars.choose(second.name_zh, 4);
  await form.stars.chooseOverall(9);
  await a11y();
  await form.submit().click();

  await expect(page).toHaveURL(`/customer/evaluations/${number}`);
  await expect(page.getByText('申诉已提交。')).toBeVisible();
  await expect(view.statusPanel()).toContainText('申诉处理中');
  await expect(view.appealLink()).toHaveCount(0);
  await expect(view.appeals()).toContainText('待处理');
  await expect(view.appeals()).toContainText('我把前两项的星数选错了');

  // The admin: the evaluation as submitted beside the change asked for, the change edited.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInByApi(admin, 'staff', ADMIN);
  const queue = new AppealQueue(admin);
  await queue.open();
  await expect(admin.getByRole('link', { name: /^申诉审核/ })).toContainText(/\d/);
  const item = queue.item(number);
  await expect(item).toContainText('申请改为');
  await expect(item).toContainText('我把前两项的星数选错了，服务其实不错。');
  await expect(item.getByRole('row', { name: new RegExp(`^${first.name_zh}`) })).toContainText('5 ★（有变化）');
  await expect(item).toContainText('该客户的申诉记录');
  await expectAccessible(admin);
  await item.getByRole('button', { name: `通过 ${number}` }).click();
  await expect(queue.dialog()).toBeVisible();
  // Without a reason nothing is decided.
  await queue.dialog().getByRole('button', { name: '确认通过' }).click();
  await expect(queue.dialog().getByText('请填写处理说明。')).toBeVisible();
  await queue.dialog().getByRole('radio', { name: '修改后再应用' }).check();
  const stars = new AppealFormPage(admin).stars;
  await expect(stars.star(first.name_zh, 5)).toBeChecked();
  await stars.choose(first.name_zh, 4);
  await queue.reason().fill('核实录音后，服务态度按 4 星更新。');
  await queue.dialog().getByRole('button', { name: '确认通过' }).click();
  await expect(queue.dialog()).toHaveCount(0);
  await expect(queue.announcement()).toHaveText(`已通过 ${number} 的申诉。`);
  await expect(queue.item(number)).toHaveCount(0);
  await queue.open('approved');
  await expect(queue.item(number)).toContainText('核实录音后，服务态度按 4 星更新。');
  await expectAccessible(admin);
  await adminContext.close();

  // The customer: a new decision badge, the decision, then the new version and its history.
  await page.goto('/customer');
  const mine = new MyAppealsPage(page);
  await expect(mine.navLink()).toHaveAccessibleName(/1 条新的申诉结果/);
  await a11y();
  await mine.open();
  const entry = mine.item(number);
  await expect(entry).toContainText('已通过');
  await expect(entry).toContainText('新结果');
  await entry.getByText('查看详情').click();
  await expect(entry).toContainText('核实录音后，服务态度按 4 星更新。');
  await expect(entry).not.toContainText('新结果');
  await expect(mine.navLink()).toHaveAccessibleName('我的申诉');
  await a11y();
  await entry.getByRole('link', { name: number }).click();
  await expect(view.statusPanel()).toContainText('已修改');
  const versions = view.versions();
  await expect(versions).toContainText('第 2 版（当前）');
  await expect(versions).toContainText('第 1 版');
  await expect(versions).toContainText('核实录音后，服务态度按 4 星更新。');
  await expect(versions.getByRole('listitem').filter({ hasText: '第 2 版（当前）' })).toContainText('总体满意度 9 / 10');
  await expect(versions.getByRole('listitem').filter({ hasText: '第 1 版' })).toContainText('总体满意度 4 / 10');
  await expect(page.getByRole('region', { name: '评价编号' })).toContainText(`${first.name_zh}4 星 · 满意`);
  await a11y();
  await expect(view.appeals()).toContainText('已通过');
});

test('a rejected appeal tells the customer why, and the evaluation stays as it was', async ({ page, browser, a11y }) => {
  await signInByApi(page, 'customer', CUSTOMER);
  const { number } = await rateNextByApi(page.request, 3, 6);
  const filed = await fileAppealByApi(page.request, number, '服务人员态度其实很好，我当时心情不好。');
  expect(filed.status()).toBe(201);
  // One open appeal per evaluation.
  const again = await fileAppealByApi(page.request, number, '再申诉一次，看看会不会通过。');
  expect(again.status()).toBe(409);
  expect((await again.json()).code).toBe('appeal_pending');

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInByApi(admin, 'staff', ADMIN);
  const queue = new AppealQueue(admin);
  await queue.open();
  const item = queue.item(number);
  await expect(item).toContainText('未申请具体的评分修改。');
  await item.getByRole('button', { name: `驳回 ${number}` }).click();
  await queue.reason().fill('评价与服务记录相符，不作修改。');
  await expectAccessible(admin);
  await queue.dialog().getByRole('button', { name: '确认驳回' }).click();
  await expect(queue.announcement()).toHaveText(`已驳回 ${number} 的申诉。`);
  await queue.open('rejected');
  await expect(queue.item(number)).toContainText('已驳回');
  await adminContext.close();

  const view = new EvaluationView(page);
  await view.open(number);
  await expect(view.statusPanel()).toContainText('已记录');
  await expect(view.appeals()).toContainText('已驳回');
  await expect(view.appeals()).toContainText('评价与服务记录相符，不作修改。');
  await expect(view.versions()).toHaveCount(0);
  await a11y();

  // The window is still open, but not for the reason just decided: the form says so beside
  // the field and files nothing; the message goes once the reason changes.
  await view.appealLink().click();
  const form = new AppealFormPage(page);
  await expect(form.heading()).toBeVisible();
  await form.reason().fill('服务人员态度其实很好 我当时心情不好！');
  await form.submit().click();
  const repeated = page.getByText('这条理由的申诉已经处理过了。如需再次申诉，请说明新的情况。');
  await expect(repeated).toBeVisible();
  await expect(form.reason()).toHaveAttribute('aria-invalid', 'true');
  await a11y();
  await form.reason().fill('补充：服务人员当时已经解释清楚，只是等待时间较长。');
  await expect(repeated).toBeHidden();
  const list = await (await page.request.get(`/api/v1/evaluations/${number}/appeals`)).json();
  expect(list.appeals, 'nothing more was filed').toHaveLength(1);
});

test('after the appeal window the app offers no appeal and the server refuses one', async ({ page, a11y }) => {
  await signInByApi(page, 'customer', CUSTOMER);
  const history = await (await page.request.get('/api/v1/me/evaluations?per_page=100')).json();
  const dayAgo = Date.now() - 25 * 3600 * 1000;
  const old = (history.evaluations as { number: string; submitted_at: string; status: string }[]).find(
    (e) => Date.parse(e.submitted_at) < dayAgo && e.status === 'recorded',
  );
  expect(old, 'a demo evaluation submitted more than a day ago').toBeTruthy();
  const number = old!.number;

  const view = new EvaluationView(page);
  await view.open(number);
  await expect(view.statusPanel()).toContainText('申诉期限已过，这条评价不能再申诉。');
  await expect(view.appealLink()).toHaveCount(0);
  await a11y();
  // The form's address, typed in, says so too and offers no form.
  await page.goto(`/customer/evaluations/${number}/appeal`);
  await expect(page.getByRole('status')).toContainText('申诉期限已过');
  await expect(new AppealFormPage(page).reason()).toHaveCount(0);
  await a11y();

  const response = await fileAppealByApi(page.request, number, '我想修改这条很久以前的评价。');
  expect(response.status()).toBe(409);
  expect((await response.json()).code).toBe('appeal_window_closed');
});
