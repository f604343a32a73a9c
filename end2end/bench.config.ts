import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// Benchmarks share the real-server setup of the tests but live apart from them.
export default defineConfig({ ...base, testDir: './bench', timeout: 180_000 });
