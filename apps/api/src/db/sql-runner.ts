// Server-only. The few places that need SQL below Prisma (migrations, readiness) use this small
// interface, implemented once for node-postgres and once for PGlite.
export interface SqlRunner {
  /** Runs a script of one or more statements, without parameters. */
  exec(script: string): Promise<void>;
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query<Row>(statement: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` on one connection inside BEGIN/COMMIT, rolling back if it throws. */
  transaction<T>(work: (runner: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs `work` while holding a session-level advisory lock, on one connection. */
  withAdvisoryLock<T>(key: number, work: (runner: SqlRunner) => Promise<T>): Promise<T>;
}
