// Test-only. Starts a real Parley server in the test's process, the way `pnpm start` runs it:
// the API and the exported web app on one origin. Each test file gets a database and a Redis
// prefix of its own, as the API's tests do, and the server stops when the file's tests end.
import { stat } from 'node:fs/promises';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadConfig } from '@parley/api/src/config.ts';
import type { Limits } from '@parley/api/src/limits.ts';
import { createLogger } from '@parley/api/src/logger.ts';
import { type ParleyServer, startParleyServer } from '@parley/api/src/server.ts';
import {
  createTestDatabase,
  redisUrl,
  uniqueRedisPrefix,
} from '@parley/api/test/support/environment.ts';

import { CodeInbox } from './code-inbox.ts';

export const webRoot = fileURLToPath(new URL('../../apps/web/out', import.meta.url));

export type ParleyUnderTest = {
  /** The one origin, e.g. http://127.0.0.1:41234: the app at /, GraphQL at /graphql. */
  readonly url: string;
  /** Every verification code the server sent, by phone number. */
  readonly codes: CodeInbox;
  readonly server: ParleyServer;
  /** Stops the server and drops its database; also runs by itself after the file's tests. */
  close(): Promise<void>;
};

export type StartParleyOptions = {
  /** More environment for the server's configuration, e.g. { MAX_MEDIA_BYTES: '1048576' }. */
  readonly env?: Record<string, string>;
  readonly limits?: Partial<Limits>;
};

export async function startParley(options: StartParleyOptions = {}): Promise<ParleyUnderTest> {
  const index = await stat(`${webRoot}/index.html`).catch(() => undefined);
  if (!index) {
    throw new Error(
      `${webRoot} holds no build of the web app. Run the e2e tests through \`pnpm test\`, which ` +
        'builds it, or build it with `pnpm --filter @parley/web build`.',
    );
  }

  const database = await createTestDatabase();
  const codes = new CodeInbox();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: database.dataDir,
    WEB_ROOT: webRoot,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    REDIS_PREFIX: uniqueRedisPrefix(),
    SHUTDOWN_GRACE_SECONDS: '2',
    ...(database.url && { DATABASE_URL: database.url }),
    ...(redisUrl && { REDIS_URL: redisUrl }),
    ...options.env,
  });
  const server = await startParleyServer({
    config,
    codeSender: codes,
    logger: createLogger(config.logLevel),
    limits: {
      // Every browser in a test signs in from 127.0.0.1.
      codesPerAddress: { limit: 10_000, windowMs: 60_000 },
      verificationsPerAddress: { limit: 10_000, windowMs: 60_000 },
      ...options.limits,
    },
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= server.close().finally(() => database.drop());
    return closing;
  };
  after(close);
  return { url: server.url, codes, server, close };
}
