// Audit-only. Parley as `pnpm start` runs it with no configuration: the embedded default (PGlite
// in a data folder, the in-process bus) serving the web app's export, in a child process on a
// free port. The data folder is a temporary one, so the audit never touches ./data.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { type ChildService, startChildService } from '../src/child-service.js';
import { sleep } from '../src/clock.js';
import { freePort } from '../src/free-port.js';

export type EmbeddedApi = {
  /** http://127.0.0.1:port/ */
  readonly url: string;
  stop(): Promise<void>;
};

const apiDirectory = fileURLToPath(new URL('../../apps/api/', import.meta.url));

export async function startEmbeddedApi(): Promise<EmbeddedApi> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-audit-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;

  // Only what the embedded default needs: a DATABASE_URL or REDIS_URL in the caller's
  // environment would switch the server to those services.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
  };
  const child: ChildService = startChildService({
    name: 'api',
    args: ['src/main.ts'],
    cwd: apiDirectory,
    env,
    onLine: (line) => line.startsWith('Parley is running at'),
  });
  const stop = async () => {
    await child.stop();
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exit !== undefined) {
      await stop();
      throw new Error(`the API ${child.exit} before it was ready:\n${child.tail()}`);
    }
    if (await answers(`${url}readyz`)) break;
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`the API was not ready at ${url}readyz in time:\n${child.tail()}`);
    }
    await sleep(200);
  }
  return { url, stop };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
