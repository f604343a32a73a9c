import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { signInByApi } from './pages/login';
import { RatingForm } from './pages/rating';
import { ports } from '../ports';
import { BASE, SINK, ingest as ingestFor, linkIn, smsTo } from './pages/links';
import { AppealQueue } from './pages/appeals';

// Rating invitations end to end (issue 19): records of new customers come from the helpdesk's
// API; the scheduler invites them through the real SMS gateway sink and the real SMTP sink of
// this worker (smtp-sink.mjs); the link rates and appeals without a session and grants nothing
// else; an expired link says so; an opted-out customer gets nothing more; a one-time code signs
// a customer in; the dashboard's response rate is the invitations' states; the appeal's
// decision reaches the customer by the invitation's channel.

const DB = join(process.env.PINGJIA_E2E_DIR!, `e2e-${process.env.TEST_PARALLEL_INDEX ?? 0}.db`);

type Mail = { envelopeTo: string[]; subject: string; text: string; html: string };

/** Runs SQL on this worker's database (to move time past a link's expiry). The server writes to
 *  it at the same time (its delivery worker, its scheduler): the statement waits for the write
 *  lock (`.timeout`) instead of failing at once with "database is locked". */
function sql(statement: string): string {
  return execFileSync('sqlite3', ['-cmd', '.timeout 30000', DB, statement], { encoding: 'utf8' }).trim();
}

async function mailTo(request: APIRequestContext, address: string): Promise<Mail[]> {
  const all: Mail[] = await (await request.get(`${SINK}/messages`)).json();
  return all.filter((m) => m.envelopeTo.includes(address));
}

const unique = `${Date.now()}`.slice(-8);
let serial = 0;

/** A fresh mobile number nobody has. */
function newPhone(): string {
  serial += 1;
  return `139${unique.slice(-6)}${String(serial).padStart(2, '0')}`;
}

/** A browser context with no session, as a customer opening the message on a phone. */
async function guest(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    baseURL: BASE,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 390, height: 844 },
  });
  return context.newPage();
}

test.describe.configure({ mode: 'serial' });

let key = '';
let serviceType = '';

/** Sends this spec's helpdesk's record of a new customer's service (see pages/links.ts). */
const ingest = (request: APIRequestContext, key: string, contacts: Record<string, string>) =>
  ingestFor(request, { key, serviceType }, contacts);

test.beforeAll(async ({ browser }) => {
  const page = await (await browser.newContext({ baseURL: BASE })).newPage();
  await signInByApi(page, 'staff', 'A0001');
  // The demo's channels point at nothing; this worker's sinks receive instead.
  const sms = await page.request.put('/api/v1/settings/sms', {
    data: {
      url: `${SINK}/sms`,
      method: 'post',
      headers: [],
      body_template: '{"to":"{{to}}","text":"{{text}}","reference":"{{reference}}"}',
      content_type: 'json',
      success: { json_field: 'code', json_value: '0' },
    },
  });
  expect(sms.ok(), await sms.text()).toBeTruthy();
  const smtp = await page.request.put('/api/v1/settings/smtp', {
    data: {
      host: '127.0.0.1',
      port: ports.smtp,
      security: 'none',
      from_address: 'pingjia@example.com',
      from_name: '评价',
      link_base: BASE,
    },
  });
  expect(smtp.ok(), await smtp.text()).toBeTruthy();
  const created = await page.request.post('/api/v1/api-keys', { data: { name: `helpdesk-${unique}` } });
  expect(created.ok()).toBeTruthy();
  key = (await created.json()).secret;
  serviceType = (await (await page.request.get('/api/v1/catalog')).json()).service_types[0].code;
  await page.context().close();
});

test('the invitation reaches a new customer by SMS; its link rates and appeals without signing in, and grants nothing else', async ({ page, browser }) => {
  const phone = newPhone();
  const record = await ingest(page.request, key, { customer_phone: phone, customer_name: '周女士' });
  await expect.poll(async () => (await smsTo(page.request, phone)).length, { timeout: 20_000 }).toBe(1);
  const [message] = await smsTo(page.request, phone);
  expect(message.text).toContain('周女士');
  expect(message.text).toMatch(/\/r\/[A-Za-z0-9_-]{43}\/opt-out/);
  const link = linkIn(message.text);
  const token = link.slice(3);

  const customer = await guest(browser);
  await customer.goto(link);
  await expect(customer.getByRole('heading', { level: 1, name: '服务评价' })).toBeVisible();
  const form = new RatingForm(customer);
  const read = await customer.request.get(`/api/v1/rating-links/${token}`);
  expect(read.ok()).toBeTruthy();
  const dimensions = (await read.json()).dimensions as { name_zh: string }[];
  await form.fill(dimensions, 2, 3);
  await form.suggestion().fill('等待时间太长了。');
  await form.submit().click();
  await expect(customer.getByText('感谢您的评价，已记录。')).toBeVisible();

  // The same link shows the evaluation and files its appeal.
  await customer.getByRole('link', { name: '申诉此评价' }).or(customer.getByRole('button', { name: '申诉此评价' })).click();
  await customer.getByRole('textbox', { name: '申诉理由' }).fill('我选错了星级，本意是满意。');
  await customer.getByRole('button', { name: /提交申诉/ }).click();
  await expect(customer.getByText('您的申诉已提交，处理结果会通知您。')).toBeVisible();

  // The token is no session: nothing else answers to it.
  const bearer = { Authorization: `Bearer ${token}` };
  expect((await customer.request.get('/api/v1/me/evaluations')).status()).toBe(401);
  expect((await customer.request.get('/api/v1/me/evaluations', { headers: bearer })).status()).toBe(401);
  expect((await customer.request.get(`/api/v1/service-records/${record.id}/invitation`, { headers: bearer })).status()).toBe(401);
  expect((await customer.request.get('/api/v1/rating-links/' + token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')))).status()).toBe(404);
  const number: string = (await (await customer.request.get(`/api/v1/rating-links/${token}`)).json()).evaluation.number;
  await customer.context().close();

  // The admin decides the appeal in the app: the customer is told by the channel the
  // invitation used (SMS), with a link to the evaluation (issue 21).
  await signInByApi(page, 'staff', 'A0001');
  const queue = new AppealQueue(page);
  await queue.open();
  await queue.item(number).getByRole('button', { name: `驳回 ${number}` }).click();
  await queue.reason().fill('评价与服务记录相符，不作修改。');
  await queue.dialog().getByRole('button', { name: '确认驳回' }).click();
  await expect(queue.announcement()).toHaveText(`已驳回 ${number} 的申诉。`);
  await expect.poll(async () => (await smsTo(page.request, phone)).length, { timeout: 20_000 }).toBe(2);
  const decided = (await smsTo(page.request, phone))[1];
  expect(decided.text).toContain(`您对评价 ${number} 的申诉未通过`);
  expect(decided.text).toContain(`${BASE}/customer/evaluations/${number}`);
});

test('the invitation reaches a customer who has only an e-mail address; once its time is over the link says so', async ({ page, browser }) => {
  const address = `kh${unique}@example.com`;
  const record = await ingest(page.request, key, { customer_no: `K${unique}`, customer_email: address });
  await expect.poll(async () => (await mailTo(page.request, address)).length, { timeout: 20_000 }).toBe(1);
  const [mail] = await mailTo(page.request, address);
  const link = linkIn(mail.text);
  expect(mail.html).toContain(`href="${BASE}${link}"`);

  // The rating window closes (moved into the past in the database).
  sql(`UPDATE invitations SET expires_at = '2026-01-01T00:00:00Z' WHERE service_record_id = ${record.id}`);
  const customer = await guest(browser);
  await customer.goto(link);
  await expect(customer.getByText('该评价链接已过期：此次服务的评价时间已结束。')).toBeVisible();
  await expect(customer.getByRole('main').getByRole('link', { name: '登录' })).toBeVisible();
  await customer.context().close();
});

test('a customer who opts out from the message gets no further invitation', async ({ page, browser }) => {
  const phone = newPhone();
  await ingest(page.request, key, { customer_phone: phone });
  await expect.poll(async () => (await smsTo(page.request, phone)).length, { timeout: 20_000 }).toBe(1);
  const [message] = await smsTo(page.request, phone);
  const customer = await guest(browser);
  await customer.goto(`${linkIn(message.text)}/opt-out`);
  await expect(customer.getByRole('heading', { name: '不再接收评价邀请？' })).toBeVisible();
  await customer.getByRole('button', { name: '不再接收邀请' }).click();
  await expect(customer.getByText(/已退订：自 .* 起您不会再收到评价邀请。/)).toBeVisible();
  await customer.context().close();

  // A later record of the same customer: sent by hand, it is skipped; nothing arrives.
  await signInByApi(page, 'staff', 'A0001');
  const later = await ingest(page.request, key, { customer_phone: phone });
  const sent = await page.request.post('/api/v1/invitations/send', { data: { record_ids: [later.id] } });
  expect(sent.ok(), await sent.text()).toBeTruthy();
  expect(await sent.json()).toEqual({ selected: 1, queued: 0, skipped: [{ reason: 'opted_out', count: 1 }] });
  const states = await (await page.request.get(`/api/v1/service-records?invitation=opted_out&per_page=100`)).json();
  expect(states.total).toBeGreaterThan(0);
  expect((await smsTo(page.request, phone)).length).toBe(1);
});

test('a one-time code sent by SMS signs the customer in, without a password', async ({ page, browser }) => {
  // A customer the helpdesk brought (no password): their number, then the code from the SMS.
  const phone = newPhone();
  await ingest(page.request, key, { customer_phone: phone, customer_name: '吴先生' });
  await expect.poll(async () => (await smsTo(page.request, phone)).length, { timeout: 20_000 }).toBe(1);
  const customer = await guest(browser);
  await customer.goto('/login');
  await expect(customer.getByRole('heading', { name: '验证码登录' })).toBeVisible();
  await customer.getByLabel('手机号或邮箱').fill(phone);
  await customer.getByRole('button', { name: '发送验证码' }).click();
  await expect(customer.getByText(`如果 ${phone} 是已登记的客户，验证码短信已发出，5 分钟内有效。`)).toBeVisible();
  await expect.poll(async () => (await smsTo(page.request, phone)).length, { timeout: 20_000 }).toBe(2);
  const code = /\b(\d{6})\b/.exec((await smsTo(page.request, phone))[1].text)![1];
  await customer.getByLabel('6 位验证码').fill(code);
  await customer.getByRole('button', { name: '登录', exact: true }).click();
  await expect(customer).toHaveURL(/\/customer/);
  const me = await customer.request.get('/api/v1/auth/me');
  expect(me.ok()).toBeTruthy();
  expect((await me.json()).role).toBe('customer');
  await customer.context().close();
});

test("the dashboard's response rate and funnel are the invitations' states", async ({ page }) => {
  await signInByApi(page, 'staff', 'A0001');
  const today = new Date();
  const from = new Date(today.getTime() - 29 * 86_400_000);
  const day = (d: Date) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const response = await (await page.request.get(`/api/v1/analytics/response?from=${day(from)}&to=${day(today)}`)).json();
  const count = (where: string) =>
    Number(
      sql(
        `SELECT COUNT(*) FROM invitations i
         WHERE i.sent_at IS NOT NULL AND date(i.sent_at, '+8 hours') BETWEEN '${day(from)}' AND '${day(today)}' ${where}`,
      ),
    );
  const invited = count('');
  expect(invited).toBeGreaterThan(0);
  expect(response.funnel.invited).toBe(invited);
  expect(response.funnel.rated).toBe(count('AND i.rated_at IS NOT NULL'));
  expect(response.funnel.opened).toBe(count('AND (i.opened_at IS NOT NULL OR i.rated_at IS NOT NULL)'));
  expect(response.funnel.opted_out).toBe(count('AND i.opted_out_at IS NOT NULL'));

  // The dashboard shows the same figures: the KPI card and the funnel's table.
  await page.goto(`/admin/analytics?from=${day(from)}&to=${day(today)}`);
  await expect(page.getByRole('table', { name: /参评漏斗/ })).toContainText(String(invited));
  await expect(page.getByRole('table', { name: /参评漏斗/ })).toContainText(String(response.funnel.rated));
  await expect(page.getByText('参评率').first()).toBeVisible();
});
