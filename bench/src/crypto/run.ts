// Bench-only. The entry point of `pnpm bench:crypto`: how long Parley's MLS layer takes, and how
// many bytes it stores and sends, through @parley/crypto's public interface alone, in one Node
// process with no server. Each group size in turn (messages, commits, joins, a member's state),
// then a device's key state, then media; the report goes to stdout and, with every sample
// summary, to results/crypto-latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';

import { cipherSuiteName } from '@parley/crypto';

import { UsageError } from '../bench-options.js';
import { progress } from '../progress.js';
import {
  cryptoUsage,
  parseCryptoBenchOptions,
  type CryptoBenchOptions,
} from './crypto-bench-options.js';
import type { CryptoBenchResult } from './crypto-bench-result.js';
import { formatCryptoReport } from './format-crypto-report.js';
import { InMemoryDirectory } from './in-memory-directory.js';
import { measureDeviceState } from './measure-device-state.js';
import { measureGroup, type GroupMeasurement } from './measure-group.js';
import { measureMedia } from './measure-media.js';
import { OtherCpuLoad } from './other-cpu-load.js';

const resultsFile = new URL('../../results/crypto-latest.json', import.meta.url);

async function runCryptoBench(options: CryptoBenchOptions): Promise<CryptoBenchResult> {
  const startedMs = performance.now();
  const otherLoad = new OtherCpuLoad();
  // One directory for the whole run, as one server lists every device.
  const directory = new InMemoryDirectory();

  // Smallest group first: its warm-up rounds are the first to run each code path.
  const groups: GroupMeasurement[] = [];
  for (const scenario of options.groups) {
    groups.push(await measureGroup(scenario, options, directory));
  }

  progress('device state with its key packages');
  const deviceState = await measureDeviceState(directory, options.keyPackageCounts);

  progress(`media: a ${options.media.bytes / 1e6} MB file`);
  const media = await measureMedia(options.media.bytes, options.media.plan);

  return {
    finishedAt: new Date().toISOString(),
    runSeconds: Math.round((performance.now() - startedMs) / 100) / 10,
    machine: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
      node: process.version,
      otherProcessesCores: otherLoad.read(),
    },
    cipherSuite: cipherSuiteName,
    settings: {
      quick: options.quick,
      devicesPerCommit: options.devicesPerCommit,
      messages: options.messages,
      skipped: options.skipped,
    },
    groups,
    deviceState,
    media,
  };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${cryptoUsage}\n`);
    return 0;
  }
  let options: CryptoBenchOptions;
  try {
    options = parseCryptoBenchOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${cryptoUsage}\n`);
    return 64; // EX_USAGE
  }

  const result = await runCryptoBench(options);
  process.stdout.write(`\n${formatCryptoReport(result)}`);
  await mkdir(new URL('.', resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
  progress(`wrote ${resultsFile.pathname} after ${result.runSeconds} s`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`crypto bench failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
