import { test } from '@playwright/test';

// A benchmark, not a test: it prints what a first visit costs and asserts nothing about time.
// Run with `make bench-e2e` after a release build.
const pages = [
  { name: 'home (signed out)', path: '/', admin: false },
  { name: 'admin overview with its chart', path: '/admin', admin: true },
];

for (const { name, path, admin } of pages) {
  test(`first load: ${name}`, async ({ browser }) => {
    const runs: { bytes: number; requests: number; ms: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext();
      if (admin) {
        const login = await context.request.post('/api/v1/auth/login', {
          data: { kind: 'staff', login: 'A0001', password: 'Pingjia-Demo-2026' },
        });
        if (!login.ok()) throw new Error(`demo admin login failed: ${login.status()}`);
      }
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      let bytes = 0;
      let requests = 0;
      cdp.on('Network.loadingFinished', (e) => {
        bytes += e.encodedDataLength;
        requests += 1;
      });
      const start = Date.now();
      await page.goto(path);
      await page.getByRole('main').waitFor();
      if (admin) await page.getByRole('img').locator('canvas').first().waitFor();
      await page.waitForLoadState('networkidle');
      const ms = Date.now() - start;
      runs.push({ bytes, requests, ms });
      await context.close();
    }
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const median = ms[Math.floor(ms.length / 2)];
    console.log(
      `${name}: ${runs[0].requests} requests, ${(runs[0].bytes / 1024).toFixed(1)} KiB transferred ` +
        `(compressed, headers included), median ${median} ms to network idle over ${runs.length} cold loads`,
    );
  });
}
