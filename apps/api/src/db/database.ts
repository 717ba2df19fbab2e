// Server-only. Opens Parley's database: Postgres through node-postgres when a URL is given, else
// PGlite (Postgres compiled to WebAssembly) in a local folder. Both run the same migrations and
// the same Prisma client, through Prisma's driver adapters.
import { mkdir } from 'node:fs/promises';

import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';

import { PrismaClient } from '../generated/prisma/client.ts';
import type { Logger } from '../logger.js';
import { applyMigrations } from './migrate.js';
import type { SqlRunner } from './sql-runner.js';

export type { PrismaClient };

export type Database = {
  readonly kind: 'postgres' | 'pglite';
  readonly prisma: PrismaClient;
  readonly sql: SqlRunner;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** Postgres URL; when absent, PGlite keeps its files in `dataDir`. */
  readonly url?: string | undefined;
  readonly dataDir: string;
  readonly log: Logger;
  /** Connections per instance. Default 10. */
  readonly poolSize?: number;
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  // Each driver loads only when used: PGlite alone costs some 30 MB of memory.
  const database = options.url
    ? await openPostgres(options.url, options.poolSize ?? 10)
    : await openPglite(options.dataDir);
  try {
    await applyMigrations(database.sql, options.log);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const [{ default: pg }, { PrismaPg }] = await Promise.all([
    import('pg'),
    import('@prisma/adapter-pg'),
  ]);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that loses its connection emits here; without a listener it would crash.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

  const clientRunner = (client: pg.PoolClient): SqlRunner => ({
    exec: async (script) => {
      await client.query(script);
    },
    query: async <Row>(statement: string, params: readonly unknown[] = []) =>
      (await client.query(statement, [...params])).rows as Row[],
    transaction: (work) => runInTransaction(clientRunner(client), work),
    withAdvisoryLock: (key, work) => lockOn(clientRunner(client), key, work),
  });

  const withClient = async <T>(work: (runner: SqlRunner) => Promise<T>) => {
    const client = await pool.connect();
    try {
      return await work(clientRunner(client));
    } finally {
      client.release();
    }
  };

  return {
    kind: 'postgres',
    prisma,
    sql: {
      exec: async (script) => {
        await pool.query(script);
      },
      query: async <Row>(statement: string, params: readonly unknown[] = []) =>
        (await pool.query(statement, [...params])).rows as Row[],
      transaction: (work) => withClient((runner) => runInTransaction(runner, work)),
      withAdvisoryLock: (key, work) => withClient((runner) => lockOn(runner, key, work)),
    },
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
  ]);
  await mkdir(dataDir, { recursive: true });
  const client: PGlite = await PGlite.create(dataDir);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });

  const transactionRunner = (tx: Transaction): SqlRunner => ({
    exec: async (script) => {
      await tx.exec(script);
    },
    query: async <Row>(statement: string, params: readonly unknown[] = []) =>
      (await tx.query<Row>(statement, [...params])).rows,
    transaction: (work) => work(transactionRunner(tx)),
    withAdvisoryLock: (_key, work) => work(transactionRunner(tx)),
  });

  // PGlite is one connection in this process, so there is nobody to lock out.
  const runner: SqlRunner = {
    exec: async (script) => {
      await client.exec(script);
    },
    query: async <Row>(statement: string, params: readonly unknown[] = []) =>
      (await client.query<Row>(statement, [...params])).rows,
    transaction: (work) => client.transaction((tx) => work(transactionRunner(tx))),
    withAdvisoryLock: (_key, work) => work(runner),
  };

  return {
    kind: 'pglite',
    prisma,
    sql: runner,
    close: async () => {
      await prisma.$disconnect();
      await client.close();
    },
  };
}

async function runInTransaction<T>(
  runner: SqlRunner,
  work: (runner: SqlRunner) => Promise<T>,
): Promise<T> {
  await runner.exec('BEGIN');
  try {
    const result = await work(runner);
    await runner.exec('COMMIT');
    return result;
  } catch (error) {
    await runner.exec('ROLLBACK');
    throw error;
  }
}

async function lockOn<T>(
  runner: SqlRunner,
  key: number,
  work: (runner: SqlRunner) => Promise<T>,
): Promise<T> {
  await runner.query('SELECT pg_advisory_lock($1)', [key]);
  try {
    return await work(runner);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]);
  }
}
