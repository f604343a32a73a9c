import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, expectAccessible } from './fixtures';
import { signInByApi } from './pages/login';
import { rateNextByApi } from './pages/appeals';

// Webhooks & robots (issue 21): the admin A0001 registers a signed webhook for low scores at a
// receiver this test starts (a node HTTP server on a free port), sees its secret once, sends a
// test event; the customer 13800000001 rates a service 1 star and the receiver gets the signed
// `evaluation.low_score`; then the receiver answers 500, the admin sees the delivery retrying
// in the endpoint's log and redelivers it once the receiver is fixed.

const ADMIN = 'A0001';
const CUSTOMER = '13800000001';

type Received = { headers: IncomingHttpHeaders; body: string };

/** A receiver that records every request and answers `status` (200 unless told). */
class Receiver {
  received: Received[] = [];
  status = 200;
  private server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      this.received.push({ headers: req.headers, body });
      res.writeHead(this.status, { 'Content-Type': 'text/plain' });
      res.end(this.status === 200 ? 'ok' : 'broken');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks/pingjia`;
  }

  stop() {
    this.server.close();
  }

  /** The requests carrying events of `type`. */
  of(type: string): Received[] {
    return this.received.filter((r) => JSON.parse(r.body).type === type);
  }
}

/** Checks a request's Standard Webhooks signature with the `whsec_…` secret. */
function expectSigned(request: Received, secret: string) {
  const id = request.headers['webhook-id'] as string;
  const timestamp = request.headers['webhook-timestamp'] as string;
  const signature = request.headers['webhook-signature'] as string;
  expect(id, 'webhook-id').toBeTruthy();
  expect(Math.abs(Date.now() / 1000 - Number(timestamp)), 'webhook-timestamp is now').toBeLessThan(300);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest('base64');
  expect(signature.split(' ')).toContain(`v1,${expected}`);
}

test('the admin registers a signed webhook, tests it, receives a low score signed, and redelivers a failed one from the log', async ({ page, browser, a11y }) => {
  test.slow();
  const receiver = new Receiver();
  const url = await receiver.start();
  try {
    await signInByApi(page, 'staff', ADMIN);
    await page.goto('/admin/webhooks');
    await expect(page.getByRole('heading', { level: 1, name: 'Webhook 与群机器人' })).toBeVisible();
    await a11y();

    // A new endpoint: nothing filled in, each message beside its field.
    await page.getByRole('button', { name: '添加接收端' }).click();
    const dialog = page.getByRole('dialog', { name: '新接收端' });
    await dialog.getByRole('button', { name: '保存' }).click();
    await expect(dialog.getByText('请至少选择一种事件。')).toBeVisible();
    await expect(dialog.getByLabel('名称')).toBeFocused();
    await dialog.getByLabel('名称').fill('工单系统');
    await expect(dialog.getByLabel('类型')).toHaveValue('webhook');
    await dialog.getByLabel('地址（URL）').fill(url);
    await dialog.getByRole('checkbox', { name: '低分评价' }).check();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: '保存' }).click();

    // The secret, shown once.
    const secretDialog = page.getByRole('dialog', { name: '工单系统 的签名密钥' });
    await expect(secretDialog).toBeVisible();
    await expect(secretDialog).toContainText('只显示这一次');
    const secret = (await secretDialog.locator('#webhook-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    await expectAccessible(page);
    await secretDialog.getByRole('button', { name: '我已复制' }).click();
    await expect(secretDialog).toHaveCount(0);

    const row = page.getByTestId('webhook-endpoints').getByRole('row').filter({ hasText: '工单系统' });
    await expect(row).toContainText('Webhook（签名）');
    await expect(row).toContainText('1 种事件');
    await expect(row).toContainText('已启用');
    await expect(page.locator('body')).not.toContainText(secret);

    // A test event, answered at once, signed.
    await row.getByRole('button', { name: '发送测试事件 工单系统' }).click();
    await expect(page.getByTestId('test-result')).toContainText('接收端已接受');
    await expect(page.getByTestId('test-result')).toContainText('HTTP 200');
    expect(receiver.of('webhook.test')).toHaveLength(1);
    expectSigned(receiver.of('webhook.test')[0], secret);

    // A customer rates 1 star: the receiver gets the low score, signed.
    const customer = await browser.newContext();
    const customerPage = await customer.newPage();
    await signInByApi(customerPage, 'customer', CUSTOMER);
    const first = await rateNextByApi(customerPage.request, 1, 1);
    await expect.poll(() => receiver.of('evaluation.low_score').length, { timeout: 30_000 }).toBe(1);
    const lowScore = receiver.of('evaluation.low_score')[0];
    expectSigned(lowScore, secret);
    expect(JSON.parse(lowScore.body).data.number).toBe(first.number);

    // The receiver breaks: the next low score is retried, and redelivered by hand once fixed.
    receiver.status = 500;
    const second = await rateNextByApi(customerPage.request, 1, 1);
    await expect.poll(() => receiver.of('evaluation.low_score').length, { timeout: 30_000 }).toBe(2);
    // Its first retry (5 s later) fails too; the next is 5 minutes away, so the redelivery below
    // by hand cannot race an automatic one.
    await expect.poll(() => receiver.of('evaluation.low_score').length, { timeout: 30_000 }).toBe(3);
    await customer.close();

    await row.getByRole('link', { name: '推送记录 工单系统' }).click();
    await expect(page.getByRole('heading', { level: 1, name: '接收端推送记录' })).toBeVisible();
    const log = page.getByTestId('endpoint-log');
    const failed = log.getByRole('row').filter({ hasText: '等待重试' });
    await expect(failed).toHaveCount(1);
    await expect(failed).toContainText('低分评价');
    await expect(failed).toContainText('HTTP 500');
    await failed.getByText('查看请求内容').click();
    await expect(failed.locator('pre')).toContainText(second.number);
    await a11y();

    receiver.status = 200;
    await failed.getByRole('button', { name: '重新推送' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已重新排队' })).toBeVisible();
    await expect.poll(() => receiver.of('evaluation.low_score').length, { timeout: 30_000 }).toBe(4);
    const redelivered = receiver.of('evaluation.low_score')[3];
    expectSigned(redelivered, secret);
    expect(redelivered.headers['webhook-id']).toBe(receiver.of('evaluation.low_score')[1].headers['webhook-id']);
    await expect(async () => {
      await page.reload();
      await expect(log.getByRole('row').filter({ hasText: '等待重试' })).toHaveCount(0);
    }).toPass({ timeout: 20_000 });
  } finally {
    receiver.stop();
  }
});
