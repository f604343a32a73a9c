import { test, type BrowserContext, type Page } from '@playwright/test';

// A benchmark, not a test: what a customer's first visit costs, cold cache, on the release
// build (`scripts/build-app.sh`, precompressed). Two visits: the sign-in page signed out, and
// a rating form opened from a link while signed in, until its first star can be chosen
// ("interactive"). Prints bytes transferred (compressed, headers included) and the median of
// 5 cold loads. Run with `make bench-e2e`. The byte budget itself is a test
// (tests/customer-weight.spec.ts); nothing here asserts a time.

const DEMO_PASSWORD = 'Pingjia-Demo-2026';

async function measure(context: BrowserContext, page: Page, path: string, ready: (p: Page) => Promise<void>) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  const urls: string[] = [];
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  cdp.on('Network.requestWillBeSent', (e) => urls.push(new URL(e.request.url).pathname));
  const start = Date.now();
  await page.goto(path);
  await ready(page);
  const interactive = Date.now() - start;
  await page.waitForLoadState('networkidle');
  return { bytes, interactive, urls };
}

function report(name: string, runs: { bytes: number; interactive: number; urls: string[] }[]) {
  const ms = runs.map((r) => r.interactive).sort((a, b) => a - b);
  const median = ms[Math.floor(ms.length / 2)];
  const p95 = ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)];
  console.log(
    `${name}: ${runs[0].urls.length} requests, ${(runs[0].bytes / 1024).toFixed(1)} KiB transferred ` +
      `(compressed, headers included); interactive after median ${median} ms, max ${p95} ms ` +
      `over ${runs.length} cold loads\n  ${runs[0].urls.join('\n  ')}`,
  );
}

test('first load: customer sign-in page', async ({ browser }) => {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    runs.push(
      await measure(context, page, '/login', (p) => p.getByRole('button', { name: '登录', exact: true }).waitFor()),
    );
    await context.close();
  }
  report('customer sign-in page (signed out)', runs);
});

test('first load: rating form from a link', async ({ browser }) => {
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const login = await context.request.post('/api/v1/auth/login', {
      data: { kind: 'customer', login: '13800000002', password: DEMO_PASSWORD },
    });
    if (!login.ok()) throw new Error(`demo customer login failed: ${login.status()}`);
    const records = await (await context.request.get('/api/v1/me/service-records')).json();
    const id = records.awaiting[0].id;
    const page = await context.newPage();
    runs.push(
      await measure(context, page, `/customer/rate/${id}`, async (p) => {
        const star = p.getByRole('radio').first();
        await star.waitFor();
        await star.isEnabled();
      }),
    );
    await context.close();
  }
  report('rating form (signed-in customer, from a link)', runs);
});
