// `pnpm start`: the whole product on one origin. Builds the web app's export when it is missing
// or stale, generates the Prisma client, then starts the API server, which serves that export
// at / beside /graphql.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { ensureWebBuild, repositoryRoot, runPnpm } from './web-build.mjs';

try {
  ensureWebBuild();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}

const generated = runPnpm(['--filter', '@parley/api', 'generate'], {
  cwd: repositoryRoot,
  stdio: 'inherit',
});
if (generated.status !== 0) process.exit(generated.status ?? 1);

// The server runs as a direct child, not under `pnpm run` and a shell, so that a supervisor's
// SIGTERM reaches it and it drains (README, "Running it as a service"). It starts in apps/api,
// where `DATA_DIR`'s default, ./data, has always been.
const api = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: path.join(repositoryRoot, 'apps/api'),
  stdio: 'inherit',
});

// A signal sent to this process alone is passed on. Ctrl-C reaches the server twice, from the
// terminal and from here, and the server's shutdown runs once whatever the count.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => api.kill(signal));
}
api.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
