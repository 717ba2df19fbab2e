// Bench-only. Command-line flags and service URLs, validated once, with every problem reported
// at once. `--quick` only changes defaults, so `--quick --pairs 20` means what it says.

export type BenchOptions = {
  /** Sender/receiver device pairs, each with its own direct conversation. Default 50. */
  readonly pairs: number;
  /** Length of the peak phase and of the 70% phase, each. Default 10 s. */
  readonly durationMs: number;
  /** Unmeasured traffic before the peak phase, so that both servers are warm. Default 2 s. */
  readonly warmupMs: number;
  /** Longest wait, after a phase stops sending, for everything sent to arrive. */
  readonly drainMs: number;
  /** Messages each pair may have in flight (sent, not yet delivered) while finding the peak. */
  readonly window: number;
  /** The receiver marks delivery every this many messages, and for the last one. Default 10. */
  readonly receiptEvery: number;
  /** Idle subscribed connections opened to measure memory per connection. Default 1,000. */
  readonly idleConnections: number;
  /** Bytes of each message's ciphertext stand-in. Default 100. */
  readonly payloadBytes: number;
  readonly quick: boolean;
  readonly databaseUrl: string;
  readonly redisUrl: string;
};

export const usage = `Usage: pnpm bench [--quick] [--pairs N] [--duration S] [--idle K] [--window W]
  --quick      short smoke run: 10 pairs, 3 s phases, 200 idle connections
  --pairs      sender/receiver pairs (default 50)
  --duration   seconds of the peak phase and of the 70% phase (default 10)
  --idle       idle subscribed connections for the memory figure, 0 to skip (default 1000)
  --window     messages in flight per pair while finding the peak (default 8)
Services: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and
REDIS_URL (default redis://127.0.0.1:6379).`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Bounds = { readonly min: number; readonly max: number };

const bounds = {
  pairs: { min: 1, max: 2_000 },
  duration: { min: 1, max: 120 },
  idle: { min: 0, max: 20_000 },
  window: { min: 1, max: 256 },
} satisfies Record<string, Bounds>;

type NumericFlag = keyof typeof bounds;

export function parseBenchOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  const problems: string[] = [];
  const given = new Map<NumericFlag, number>();
  let quick = false;

  const args = argv.filter((arg) => arg !== '--');
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--quick') {
      quick = true;
      continue;
    }
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const name = flag.replace(/^--/, '') as NumericFlag;
    if (!flag.startsWith('--') || !(name in bounds)) {
      problems.push(`unknown argument ${arg}`);
      continue;
    }
    const raw = inline ?? args[++index];
    const value = Number(raw);
    const { min, max } = bounds[name];
    if (raw === undefined || !Number.isInteger(value) || value < min || value > max) {
      problems.push(`${flag} takes a whole number from ${min} to ${max}, got ${raw ?? 'nothing'}`);
      continue;
    }
    given.set(name, value);
  }

  const databaseUrl = env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a Postgres URL');
  if (!/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must be a Redis URL');
  if (problems.length > 0) throw new UsageError(problems.join('\n'));

  const durationS = given.get('duration') ?? (quick ? 3 : 10);
  return {
    pairs: given.get('pairs') ?? (quick ? 10 : 50),
    durationMs: durationS * 1_000,
    warmupMs: quick ? 1_000 : 2_000,
    drainMs: 15_000,
    window: given.get('window') ?? 8,
    receiptEvery: 10,
    idleConnections: given.get('idle') ?? (quick ? 200 : 1_000),
    payloadBytes: 100,
    quick,
    databaseUrl,
    redisUrl,
  };
}
