import { defineConfig } from '@playwright/test';
import base, { serversOf } from './playwright.config';

// Benchmarks share the real-server setup of the tests but live apart from them, one at a time
// against one server.
export default defineConfig({
  ...base,
  testDir: './bench',
  timeout: 180_000,
  workers: 1,
  webServer: serversOf(0),
});
