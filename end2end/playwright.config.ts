import { defineConfig, devices } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKERS, ports, portsOf } from './ports';

// The real server on a fresh temporary database with demo data, serving the release build: one
// per worker (see ports.ts). The main process makes the scratch folder; the workers, which
// load this file again, inherit its name.
process.env.PINGJIA_E2E_DIR ??= mkdtempSync(join(tmpdir(), 'pingjia-e2e-'));
const scratch = process.env.PINGJIA_E2E_DIR;

/**
 * The database of worker `index`, and what makes it fresh first: an SQLite file in the scratch
 * folder, or with `PINGJIA_E2E_POSTGRES` (a server URL, `scripts/e2e-postgres.sh`) a database
 * on that PostgreSQL server, dropped and created anew.
 */
function databaseOf(index: number): { prepare: string; location: string } {
  const postgres = process.env.PINGJIA_E2E_POSTGRES;
  if (!postgres) {
    return { prepare: '', location: join(scratch, `e2e-${index}.db`) };
  }
  const name = `pingjia_e2e_${index}`;
  return {
    prepare:
      `psql -q '${postgres}/postgres' -c 'DROP DATABASE IF EXISTS ${name} WITH (FORCE)' ` +
      `-c 'CREATE DATABASE ${name}' && `,
    location: `${postgres}/${name}`,
  };
}

/** The server of worker `index` and the SMTP sink its report mails go to (smtp-sink.mjs). */
export function serversOf(index: number) {
  const { server, smtp, messages } = portsOf(index);
  const database = databaseOf(index);
  return [
    {
      command:
        `${database.prepare}exec ../target/debug/pingjia-server --listen 127.0.0.1:${server} ` +
        `--database ${database.location} --dist ../dist --seed-demo`,
      url: `http://127.0.0.1:${server}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'pipe' as const,
      stderr: 'pipe' as const,
    },
    {
      command: `node smtp-sink.mjs ${smtp} ${messages}`,
      url: `http://127.0.0.1:${messages}/messages`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe' as const,
      stderr: 'pipe' as const,
    },
  ];
}

export default defineConfig({
  testDir: './tests',
  // A spec's tests run in order in one worker; the specs are shared among the workers.
  fullyParallel: false,
  workers: WORKERS,
  forbidOnly: !!process.env.CI,
  // A flaky test is a bug to fix, not to hide.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${ports.server}`,
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
  webServer: Array.from({ length: WORKERS }, (_, index) => serversOf(index)).flat(),
});
