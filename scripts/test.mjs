// Runs every test suite with Node's test runner, TypeScript loaded through tsx. Test files run
// in parallel processes; each one makes its own database and Redis prefix.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const suites = ['packages/crypto/test', 'apps/api/test', 'examples/echo-bot/test'];
const only = process.argv.slice(2);

const files = only.length
  ? only
  : suites.flatMap((folder) =>
      readdirSync(path.join(root, folder), { recursive: true })
        .map(String)
        .filter((name) => name.endsWith('.test.ts'))
        .sort()
        .map((name) => path.join(folder, name)),
    );

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
