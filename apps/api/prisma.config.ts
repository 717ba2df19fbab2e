// Prisma CLI configuration. Parley applies migrations itself (src/db/migrate.ts); this file lets
// `prisma generate` find the schema and lets `prisma migrate deploy` agree where it can run.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/parley' },
});
