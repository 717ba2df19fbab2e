// Bench-only. A database of its own for each run, on the Postgres server at DATABASE_URL, so a
// run starts from empty tables and never touches data it did not create.
import { randomBytes } from 'node:crypto';

import pg from 'pg';

export type BenchDatabase = {
  readonly name: string;
  /** DATABASE_URL with the fresh database's name in place of the original one. */
  readonly url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
};

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `parley_bench_${randomBytes(6).toString('hex')}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function runAdminStatement(serverUrl: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
