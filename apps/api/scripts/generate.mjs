// Generates the Prisma client into src/generated/prisma. `prisma generate` needs no database
// engine, but the CLI looks for one anyway: pointing it at any existing file keeps it from
// trying to download one, which fails on machines without that network access.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const apiDirectory = fileURLToPath(new URL('..', import.meta.url));
const result = spawnSync('prisma', ['generate'], {
  cwd: apiDirectory,
  stdio: ['ignore', 'inherit', 'inherit'],
  shell: process.platform === 'win32',
  env: {
    ...process.env,
    PATH: `${apiDirectory}node_modules/.bin:${process.env.PATH ?? ''}`,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  },
});
process.exit(result.status ?? 1);
