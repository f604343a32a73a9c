import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';

/** WCAG 2.1 A and AA rules: every page a spec visits must pass them. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Scans the page as it is now and fails with a readable list of violations. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(summary, `accessibility violations on ${page.url()}`).toEqual([]);
}

type Fixtures = {
  /** Scans the current page with axe; every visited path must have been scanned once. */
  a11y: () => Promise<void>;
};

/**
 * `page` records every path the spec visits (loads and client-side navigations); `a11y`
 * scans the current one. When the spec ends, the page it ends on is scanned too, and a path
 * that was visited but never scanned fails the spec: no page escapes the accessibility check.
 */
export const test = base.extend<Fixtures>({
  a11y: [async ({ page }, use) => {
    const visited = new Set<string>();
    const scanned = new Set<string>();
    const pathOf = (url: string) => new URL(url).pathname;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith('http')) visited.add(pathOf(frame.url()));
    });
    const scan = async () => {
      await page.waitForLoadState('load');
      await expectAccessible(page);
      scanned.add(pathOf(page.url()));
    };
    await use(scan);
    if (!page.isClosed() && page.url().startsWith('http') && !scanned.has(pathOf(page.url()))) {
      await scan();
    }
    const missed = [...visited].filter((p) => !scanned.has(p));
    expect(missed, 'pages visited without an accessibility scan').toEqual([]);
  }, { auto: true }],
});

export { expect };
