// Test-only. Runs axe-core in a page and fails on every serious or critical violation. Minor
// and moderate ones are left to review: they are often judgment calls, and failing on them
// would teach people to switch rules off.
import assert from 'node:assert/strict';

import axe from 'axe-core';
import type { Page } from 'playwright-core';

const failingImpacts = new Set(['serious', 'critical']);

export type AccessibilityOptions = {
  /** A CSS selector to check instead of the whole document, e.g. a dialog. */
  readonly include?: string;
};

export async function assertAccessible(
  page: Page,
  options: AccessibilityOptions = {},
): Promise<void> {
  // Evaluated through the DevTools protocol, so a Content-Security-Policy that forbids inline
  // scripts does not stop it.
  await page.evaluate(axe.source);
  const results = await page.evaluate(
    (include) =>
      (window as unknown as { axe: typeof axe }).axe.run(include ?? document, {
        resultTypes: ['violations'],
      }),
    options.include,
  );

  const failures = results.violations.filter(
    (violation) => violation.impact && failingImpacts.has(violation.impact),
  );
  const report = failures.map((violation) => {
    const where = violation.nodes.map((node) => `\n    at ${node.target.join(' ')}`).join('');
    const rule = `${violation.impact} ${violation.id}: ${violation.help} (${violation.helpUrl})`;
    return `\n  ${rule}${where}`;
  });
  const summary = `axe found ${failures.length} serious or critical violations on ${page.url()}:`;
  assert.equal(failures.length, 0, summary + report.join(''));
}
