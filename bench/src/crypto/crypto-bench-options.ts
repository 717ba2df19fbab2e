// Bench-only. What `pnpm bench:crypto` measures and how many samples it takes. The full run
// stays under about three minutes on two cores; `--quick` stays under 30 s by leaving out the
// 1,024-device group, whose set-up alone (1,023 key packages, eight add commits) takes 15 to
// 20 s there, and by taking fewer samples of everything else.
import { UsageError } from '../bench-options.js';
import type { SamplePlan } from './sample-rounds.js';

/** One group size and what is measured in it besides messages and state. */
export type GroupScenario = {
  readonly devices: number;
  /** Self-update, processing it, adding one device; null to skip commits at this size. */
  readonly commits: SamplePlan | null;
  /** Joining from a Welcome; null to skip joins at this size. */
  readonly joins: SamplePlan | null;
};

export type CryptoBenchOptions = {
  readonly quick: boolean;
  readonly groups: readonly GroupScenario[];
  /** Groups of the full run that this run leaves out, with the reason, for the report. */
  readonly skipped: readonly string[];
  /** Devices added per commit while a group is built. */
  readonly devicesPerCommit: number;
  readonly messages: SamplePlan;
  /** One-time key packages held by the devices whose stored state is measured. */
  readonly keyPackageCounts: readonly number[];
  readonly media: { readonly bytes: number; readonly plan: SamplePlan };
};

export const cryptoUsage = `Usage: pnpm bench:crypto [--quick]
  --quick   a smoke run under 30 s: groups of 2 and 100 devices only, fewer samples
Without flags: groups of 2, 100 and 1,024 devices, about 2 to 3 minutes on 2 cores.`;

const full: Omit<CryptoBenchOptions, 'quick'> = {
  groups: [
    { devices: 2, commits: null, joins: null },
    {
      devices: 100,
      commits: { warmup: 2, samples: 20 },
      joins: { warmup: 2, samples: 20 },
    },
    {
      devices: 1_024,
      // Fewer than 20, so each p95 here is the slowest sample: 20 would take 1.5 minutes more.
      commits: { warmup: 1, samples: 8 },
      joins: { warmup: 1, samples: 6 },
    },
  ],
  skipped: [],
  devicesPerCommit: 128,
  messages: { warmup: 20, samples: 200 },
  keyPackageCounts: [100, 500],
  media: { bytes: 10_000_000, plan: { warmup: 1, samples: 5 } },
};

const quick: Omit<CryptoBenchOptions, 'quick'> = {
  groups: [
    { devices: 2, commits: null, joins: null },
    {
      devices: 100,
      commits: { warmup: 1, samples: 5 },
      joins: { warmup: 1, samples: 5 },
    },
  ],
  skipped: ['1,024 devices: building the group alone takes 15 to 20 s; run without --quick'],
  devicesPerCommit: 128,
  messages: { warmup: 10, samples: 50 },
  keyPackageCounts: [100, 500],
  media: { bytes: 10_000_000, plan: { warmup: 1, samples: 3 } },
};

export function parseCryptoBenchOptions(argv: readonly string[]): CryptoBenchOptions {
  const args = argv.filter((arg) => arg !== '--');
  const unknown = args.filter((arg) => arg !== '--quick');
  if (unknown.length > 0) {
    throw new UsageError(unknown.map((arg) => `unknown argument ${arg}`).join('\n'));
  }
  return args.includes('--quick') ? { quick: true, ...quick } : { quick: false, ...full };
}
