// Migrations are applied by Parley itself with Prisma Migrate's bookkeeping, so that
// `prisma migrate deploy` agrees with what is in the database.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';

import { openDatabase } from '../src/db/database.js';
import { applyMigrations, migrationsDirectory, readMigrations } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase } from './support/environment.js';

const log = createLogger('silent');

describe('migrations', async () => {
  const database = await createTestDatabase();
  after(() => database.drop());

  it('records each migration with the SHA-256 of its script, and applies each once', async () => {
    const db = await openDatabase({ url: database.url, dataDir: database.dataDir, log });
    try {
      const migrations = await readMigrations();
      assert.ok(migrations.length > 0);
      const rows = await db.sql.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        applied_steps_count: number;
      }>(
        `SELECT migration_name, checksum, finished_at, applied_steps_count FROM
          "_prisma_migrations" ORDER BY migration_name`,
      );
      for (const [index, migration] of migrations.entries()) {
        const script = await readFile(
          path.join(migrationsDirectory, migration.name, 'migration.sql'),
        );
        const row = rows[index]!;
        assert.equal(row.migration_name, migration.name);
        assert.equal(row.checksum, createHash('sha256').update(script).digest('hex'));
        assert.notEqual(row.finished_at, null);
        assert.equal(row.applied_steps_count, 1);
      }
      assert.deepEqual(await applyMigrations(db.sql, log), [], 'a second run applies nothing');
      const count = await db.sql.query<{ count: string }>(
        'SELECT count(*)::text AS count FROM "_prisma_migrations"',
      );
      assert.equal(Number(count[0]!.count), migrations.length);
    } finally {
      await db.close();
    }
  });

  it('rolls back a migration that fails, leaving no half-applied schema', async () => {
    const db = await openDatabase({ url: database.url, dataDir: database.dataDir, log });
    try {
      const broken = [
        {
          name: '99999999999999_broken',
          script: 'CREATE TABLE "half_done" (id INT); SELECT * FROM "no_such_table";',
          checksum: 'x'.repeat(64),
        },
      ];
      await assert.rejects(applyMigrations(db.sql, log, broken));
      const tables = await db.sql.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE tablename = 'half_done'",
      );
      assert.equal(tables.length, 0);
      const recorded = await db.sql.query<{ name: string }>(
        `SELECT migration_name AS name FROM "_prisma_migrations" WHERE migration_name = $1`,
        ['99999999999999_broken'],
      );
      assert.equal(recorded.length, 0);
    } finally {
      await db.close();
    }
  });
});
