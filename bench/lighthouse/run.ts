// Audit-only. `pnpm audit:web`: Lighthouse's performance, accessibility and best-practices
// scores of the web app as `pnpm start` serves it, plus Chromium's own installability check.
// It is an audit, not a test: scores move with the machine's load, so it is run by hand and
// its numbers are read, not asserted in CI. The exit status is 1 when a goal is missed.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import lighthouse from 'lighthouse';

import { ensureWebBuild } from '../../scripts/web-build.mjs';
import { CleanupStack } from '../src/cleanup-stack.js';
import { chromiumPath, launchDebuggableChromium } from './debuggable-chromium.js';
import { startEmbeddedApi } from './embedded-api.js';
import { installabilityErrors } from './installability-errors.js';

/** The lowest acceptable score of each category, out of 100. */
const goals = {
  performance: 90,
  accessibility: 95,
  'best-practices': 95,
} as const;

type Category = keyof typeof goals;

const resultsFolder = fileURLToPath(new URL('../results/', import.meta.url));
const reportFile = `${resultsFolder}lighthouse-latest.json`;

async function audit(cleanup: CleanupStack): Promise<string[]> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing; install it with \`apt-get install -y chromium\`.`);
  }
  ensureWebBuild();

  // The product as `pnpm start` runs it, then a browser to look at it.
  const api = await startEmbeddedApi();
  cleanup.defer('stop the API', () => api.stop());
  const chromium = await launchDebuggableChromium();
  cleanup.defer('stop Chromium', () => chromium.stop());

  // Chromium's installability check loads the page first, which also has the server compress
  // the app's files into its cache: Lighthouse then measures a visit, not the first request
  // after a deploy.
  const objections = await installabilityErrors(chromium.port, api.url);

  // Lighthouse's defaults: a mid-range phone on a slow 4G connection, simulated.
  const result = await lighthouse(api.url, {
    port: chromium.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: Object.keys(goals),
  });
  if (!result) throw new Error('Lighthouse returned no result');
  await mkdir(resultsFolder, { recursive: true });
  await writeFile(reportFile, typeof result.report === 'string' ? result.report : '');

  const missed: string[] = [];
  process.stdout.write(
    `Lighthouse ${result.lhr.lighthouseVersion} on ${api.url} (mobile: slow 4G, 4x CPU slowdown)\n`,
  );
  for (const category of Object.keys(goals) as Category[]) {
    const entry = result.lhr.categories[category];
    const score = Math.round((entry?.score ?? 0) * 100);
    const goal = goals[category];
    const verdict = score >= goal ? 'ok' : 'MISSED';
    process.stdout.write(
      `  ${category.padEnd(16)} ${String(score).padStart(3)}  goal ${goal}  ${verdict}\n`,
    );
    if (score >= goal) continue;
    missed.push(`${category} is ${score}, under its goal of ${goal}`);
    // What cost the points, so the reader knows where to look without opening the report.
    for (const ref of entry?.auditRefs ?? []) {
      const audited = result.lhr.audits[ref.id];
      if (ref.weight > 0 && audited && audited.score !== null && audited.score < 1) {
        process.stdout.write(`      ${audited.title} (${ref.id}, score ${audited.score})\n`);
      }
    }
  }

  if (objections.length === 0) {
    process.stdout.write('  installability    no errors\n');
  } else {
    for (const objection of objections) {
      const details = objection.errorArguments.map((a) => `${a.name}=${a.value}`).join(', ');
      process.stdout.write(`  installability    ${objection.errorId} ${details}\n`);
      missed.push(`not installable: ${objection.errorId}`);
    }
  }
  process.stdout.write(`Report: ${reportFile}\n`);
  return missed;
}

async function main(): Promise<void> {
  const cleanup = new CleanupStack();
  const stop = (code: number) => {
    cleanup.runAll().then(
      () => process.exit(code),
      () => process.exit(code),
    );
  };
  process.once('SIGINT', () => stop(130));
  process.once('SIGTERM', () => stop(143));

  let missed: string[];
  try {
    missed = await audit(cleanup);
  } finally {
    for (const failure of await cleanup.runAll()) {
      process.stderr.write(`cleanup failed: ${failure}\n`);
    }
  }
  if (missed.length > 0) {
    process.stderr.write(`Goals missed:\n${missed.map((line) => `  - ${line}`).join('\n')}\n`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit failed: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
