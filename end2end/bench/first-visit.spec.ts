import { test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { helpdesk, newRatingLink } from '../tests/pages/links';

// A benchmark, not a test: what a customer's first visit costs on a phone, beside a bare
// Leptos 0.8 page (end2end/hello, same release profile and wasm-opt settings, served by the same
// server from dist/bench-hello/) measured in the same run. Nothing here asserts a time; the byte
// budgets are tests (tests/customer-weight.spec.ts).
//
// Each round opens every page once, in turn, each in a fresh context with a cold cache, at a
// phone's viewport; five rounds, in two network conditions: the loopback as it is, and a slow
// 4G phone as Lighthouse's mobile preset emulates it (150 ms round trip, 1.6 Mbit/s down,
// 750 kbit/s up, the CPU four times slower). For each page: the requests, the bytes transferred
// (compressed, headers included, every request), and the time from navigation until its first
// control can be used (hello: its button; the rating link: its first star; sign-in: its first
// field), median and max, and the median as a ratio to hello's. Run with `make bench-e2e`.

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const ROUNDS = 5;

type Condition = { name: string; network?: { latency: number; downloadThroughput: number; uploadThroughput: number }; cpu?: number };
const CONDITIONS: Condition[] = [
  { name: 'loopback' },
  {
    name: 'slow 4G (Lighthouse mobile: 150 ms RTT, 1.6 Mbit/s down, CPU ×4)',
    network: { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
    cpu: 4,
  },
];

type Visit = {
  name: string;
  path: () => string;
  /** Resolves once the page's first control can be used. */
  ready: (page: Page) => Promise<void>;
  setup?: (context: BrowserContext) => Promise<void>;
};

async function enabled(page: Page, locator: ReturnType<Page['locator']>) {
  await locator.waitFor();
  await page.waitForFunction((el) => !(el as HTMLInputElement).disabled, await locator.elementHandle());
}

type Run = { bytes: number; requests: number; ms: number; urls: string[] };

async function visit(browser: Browser, condition: Condition, v: Visit): Promise<Run> {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
  await v.setup?.(context);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (condition.network) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...condition.network });
  if (condition.cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: condition.cpu });
  let bytes = 0;
  const urls: string[] = [];
  cdp.on('Network.requestWillBeSent', (e) => urls.push(new URL(e.request.url).pathname.replace(/\/r\/[^/]+/, '/r/…')));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  const start = Date.now();
  await page.goto(v.path());
  await v.ready(page);
  const ms = Date.now() - start;
  await page.waitForLoadState('networkidle');
  await context.close();
  return { bytes, requests: urls.length, ms, urls };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('first visit on a phone: the rating link, the customer sign-in and the rating form, beside a bare Leptos page', async ({ browser }) => {
  test.setTimeout(600_000);
  const desk = await helpdesk(browser);
  const setupContext = await browser.newContext();
  // One link serves every load: opening it reads the form and changes nothing.
  const { link } = await newRatingLink(setupContext.request, desk);
  // A signed-in customer's rating form in the light app, as before the tiny page.
  const login = await setupContext.request.post('/api/v1/auth/login', {
    data: { kind: 'customer', login: '13800000002', password: 'Pingjia-Demo-2026' },
  });
  if (!login.ok()) throw new Error(`demo customer login failed: ${login.status()}`);
  const records = await (await setupContext.request.get('/api/v1/me/service-records')).json();
  const recordId = records.awaiting[0].id;
  const cookies = await setupContext.cookies();
  await setupContext.close();

  const visits: Visit[] = [
    { name: 'hello (bare Leptos 0.8)', path: () => '/bench-hello/index.html', ready: (p) => enabled(p, p.getByRole('button')) },
    { name: 'rating link /r/{token}', path: () => link, ready: (p) => enabled(p, p.getByRole('radio').first()) },
    { name: 'customer sign-in /login', path: () => '/login', ready: (p) => enabled(p, p.getByRole('textbox').first()) },
    {
      name: 'rating form, signed in /customer/rate/{id}',
      path: () => `/customer/rate/${recordId}`,
      ready: (p) => enabled(p, p.getByRole('radio').first()),
      setup: (context) => context.addCookies(cookies),
    },
  ];

  for (const condition of CONDITIONS) {
    const runs = new Map<string, Run[]>(visits.map((v) => [v.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of visits) runs.get(v.name)!.push(await visit(browser, condition, v));
    }
    const hello = runs.get(visits[0].name)!;
    const base = { bytes: median(hello.map((r) => r.bytes)), ms: median(hello.map((r) => r.ms)) };
    const lines = visits.map((v) => {
      const rs = runs.get(v.name)!;
      const bytes = median(rs.map((r) => r.bytes));
      const ms = median(rs.map((r) => r.ms));
      const max = Math.max(...rs.map((r) => r.ms));
      return (
        `  ${v.name.padEnd(44)} ${String(rs[0].requests).padStart(2)} requests ` +
        `${(bytes / 1000).toFixed(1).padStart(6)} KB (×${(bytes / base.bytes).toFixed(2)})  ` +
        `interactive median ${String(ms).padStart(5)} ms (×${(ms / base.ms).toFixed(2)}), max ${max} ms`
      );
    });
    console.log(`\nFirst visit, ${ROUNDS} cold loads each, interleaved, phone viewport, ${condition.name}:\n${lines.join('\n')}`);
    if (condition === CONDITIONS[0]) {
      for (const v of visits) console.log(`  ${v.name}:\n    ${runs.get(v.name)![0].urls.join('\n    ')}`);
    }
  }
});
