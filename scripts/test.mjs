// Runs every test suite with Node's test runner, TypeScript loaded through tsx, in two phases.
// First the suites without a browser: test files run in parallel processes, each making its own
// database and Redis prefix. Then the browser tests in e2e/: they need the web app's export
// (built here when stale) and Debian's Chromium, and run one file at a time, since each file
// drives a whole browser.
//
//   node scripts/test.mjs                      every suite
//   node scripts/test.mjs <file>...            those files, browser tests among them in phase two
//   node scripts/test.mjs --e2e                the browser tests only
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { ensureWebBuild, repositoryRoot } from './web-build.mjs';

const suites = ['packages/crypto/test', 'apps/api/test', 'apps/web/test', 'examples/echo-bot/test'];
const browserSuite = 'e2e/tests';
const chromium = '/usr/bin/chromium';

const testFilesIn = (folder) =>
  readdirSync(path.join(repositoryRoot, folder), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => path.join(folder, name));

const isBrowserTest = (file) =>
  path.relative(repositoryRoot, path.resolve(repositoryRoot, file)).startsWith(`e2e${path.sep}`);

const args = process.argv.slice(2);
const e2eOnly = args.includes('--e2e');
const only = args.filter((arg) => arg !== '--e2e');

const files = only.length
  ? only
  : [...(e2eOnly ? [] : suites.flatMap(testFilesIn)), ...testFilesIn(browserSuite)];
const plain = files.filter((file) => !isBrowserTest(file));
const browser = files.filter(isBrowserTest);

function runTests(testFiles, concurrency) {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      ...testFiles,
    ],
    { cwd: repositoryRoot, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
  );
  return result.status ?? 1;
}

if (plain.length > 0) {
  const status = runTests(plain, 2);
  if (status !== 0) process.exit(status);
}

if (browser.length > 0) {
  if (!existsSync(chromium)) {
    process.stderr.write(
      `The browser tests need Debian's Chromium at ${chromium}. Install it with:\n\n` +
        '  apt-get install -y chromium\n\n' +
        '(Playwright downloads no browser of its own here.)\n',
    );
    process.exit(1);
  }
  try {
    ensureWebBuild();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
  process.exit(runTests(browser, 1));
}
