// Server-only. Applies prisma/migrations in Prisma Migrate's layout and bookkeeping, so that
// `prisma migrate deploy` (where its native engine can be downloaded) sees the same history:
// one folder per migration holding migration.sql, and a `_prisma_migrations` row per folder with
// the SHA-256 of the script as its checksum.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Logger } from '../logger.js';
import type { SqlRunner } from './sql-runner.js';

export const migrationsDirectory = fileURLToPath(
  new URL('../../../../prisma/migrations', import.meta.url),
);

// Any constant works, as long as every instance uses the same one: instances that start
// together must not apply the same migration twice.
const migrationLockKey = 72_616_283;

const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
};

export type Migration = {
  readonly name: string;
  readonly script: string;
  readonly checksum: string;
};

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export async function readMigrations(directory = migrationsDirectory): Promise<Migration[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await readFile(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, script, checksum: createHash('sha256').update(script).digest('hex') };
    }),
  );
}

/** Applies every migration not yet applied, each in its own transaction, in folder order. */
export async function applyMigrations(
  sql: SqlRunner,
  log: Logger,
  migrations?: readonly Migration[],
): Promise<string[]> {
  const pending = migrations ?? (await readMigrations());
  return sql.withAdvisoryLock(migrationLockKey, async (locked) => {
    await locked.exec(createMigrationsTable);
    const rows = await locked.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
       WHERE rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    const appliedNow: string[] = [];

    for (const migration of pending) {
      const existing = applied.get(migration.name);
      if (existing?.finished_at) {
        if (existing.checksum !== migration.checksum) {
          log.warn({ migration: migration.name }, 'applied migration was edited since');
        }
        continue;
      }
      if (existing) {
        throw new MigrationError(
          `Migration ${migration.name} started earlier but did not finish. Inspect the database, ` +
            `then mark it rolled back in "_prisma_migrations" before starting again.`,
        );
      }

      await locked.transaction(async (tx) => {
        const id = randomUUID();
        await tx.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
           VALUES ($1, $2, $3, now())`,
          [id, migration.checksum, migration.name],
        );
        await tx.exec(migration.script);
        await tx.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1
           WHERE id = $1`,
          [id],
        );
      });
      log.info({ migration: migration.name }, 'migration applied');
      appliedNow.push(migration.name);
    }
    return appliedNow;
  });
}
