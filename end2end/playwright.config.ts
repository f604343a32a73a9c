import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The real server on a fresh temporary database with demo data, serving the release build.
const port = Number(process.env.PINGJIA_E2E_PORT ?? 8181);
const baseURL = `http://127.0.0.1:${port}`;
const database = join(mkdtempSync(join(tmpdir(), 'pingjia-e2e-')), 'e2e.db');
// The SMTP sink the report mails go to (smtp-sink.mjs), beside the server's port.
const smtpPort = port + 1000;
const smtpMessagesURL = `http://127.0.0.1:${port + 1001}/messages`;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // A flaky test is a bug to fix, not to hide.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download is not reachable here.
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: [
    {
      command:
        `../target/debug/pingjia-server --listen 127.0.0.1:${port} ` +
        `--database ${database} --dist ../dist --seed-demo`,
      url: `${baseURL}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: `node smtp-sink.mjs ${smtpPort} ${port + 1001}`,
      url: smtpMessagesURL,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  ],
});
