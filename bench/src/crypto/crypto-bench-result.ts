// Bench-only. Everything one run of `pnpm bench:crypto` measured, as printed and as written to
// results/crypto-latest.json.
import type { SamplePlan } from './sample-rounds.js';
import type { GroupMeasurement } from './measure-group.js';
import type { DeviceStateMeasurement } from './measure-device-state.js';
import type { MediaMeasurement } from './measure-media.js';

export type CryptoBenchResult = {
  readonly finishedAt: string;
  readonly runSeconds: number;
  readonly machine: {
    readonly cores: number;
    readonly cpu: string;
    readonly node: string;
    /** Cores' worth of CPU other processes used during the run, on average; null off Linux. */
    readonly otherProcessesCores: number | null;
  };
  readonly cipherSuite: string;
  readonly settings: {
    readonly quick: boolean;
    readonly devicesPerCommit: number;
    readonly messages: SamplePlan;
    /** Group sizes of the full run that this run left out, and why. */
    readonly skipped: readonly string[];
  };
  readonly groups: readonly GroupMeasurement[];
  readonly deviceState: DeviceStateMeasurement;
  readonly media: MediaMeasurement;
};
