// Test-only. Where the tests' services are. CI sets DATABASE_URL and REDIS_URL, and then every
// test runs against real Postgres and Redis, each test file in a fresh database of its own and
// under a Redis prefix of its own. Without them the tests use the embedded PGlite and the
// in-process bus, except those that need a shared Redis, which say so and skip.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';

export const baseDatabaseUrl = process.env.DATABASE_URL || undefined;
export const redisUrl = process.env.REDIS_URL || undefined;

export type TestDatabase = {
  /** Postgres URL of a fresh database, or undefined for an embedded one in `dataDir`. */
  readonly url: string | undefined;
  readonly dataDir: string;
  drop(): Promise<void>;
};

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-test-'));
  if (!baseDatabaseUrl) {
    return { url: undefined, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: baseDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(baseDatabaseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    drop: async () => {
      const client = new pg.Client({ connectionString: baseDatabaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function uniqueRedisPrefix(): string {
  return `parley_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
}
