// Bench-only. The human-readable report of `pnpm bench:crypto`: one table per kind of work
// (messages, commits, joins, stored state, media), each row a group size or a case, with the
// sample count beside every timing so that a p95 of few samples is read for what it is.
import { textTable } from '../text-table.js';
import type { ByteRange } from './byte-range.js';
import type { CryptoBenchResult } from './crypto-bench-result.js';
import type { GroupMeasurement } from './measure-group.js';
import type { TimingSummary } from './timing-summary.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCryptoReport(result: CryptoBenchResult): string {
  const { machine, settings, groups } = result;
  const lines: string[] = [];

  lines.push(
    `Parley MLS benchmark: @parley/crypto, ${result.cipherSuite}`,
    `${machine.cores} cores (${machine.cpu}), Node ${machine.node}, one process doing one ` +
      'operation at a time',
    machine.otherProcessesCores === null
      ? 'CPU used by other processes during the run: unknown (no /proc/stat)'
      : `Other processes used ${machine.otherProcessesCores.toFixed(2)} of the ` +
          `${machine.cores} cores during the run, on average`,
    'Times in ms: median (p50) and 95th percentile of the samples counted after warm-up',
    `Set-up, timed once: key packages, then add commits of up to ${settings.devicesPerCommit} ` +
      'devices each',
    ...groups.map(({ devices, setup }) => {
      const commits = `${setup.addCommits} add commit${setup.addCommits === 1 ? '' : 's'}`;
      return (
        `  ${deviceCount(devices)}: ${seconds(setup.keyPackagesMs)} + ` +
        `${seconds(setup.addCommitsMs)} in ${commits}`
      );
    }),
    ...settings.skipped.map((reason) => `Skipped: ${reason}`),
    '',
  );

  lines.push(
    ...textTable(
      [
        'Message (a short text)',
        'samples',
        'encrypt p50',
        'encrypt p95',
        'decrypt p50',
        'decrypt p95',
        'bytes',
      ],
      groups.map(({ devices, messages }) => [
        deviceCount(devices),
        integer.format(messages.encrypt.samples),
        ms(messages.encrypt.medianMs),
        ms(messages.encrypt.p95Ms),
        ms(messages.decrypt.medianMs),
        ms(messages.decrypt.p95Ms),
        integer.format(messages.messageBytes),
      ]),
    ),
    '',
  );

  const withCommits = groups.filter((group) => group.commits);
  if (withCommits.length > 0) {
    lines.push(
      ...textTable(
        ['Commit', 'samples', 'p50', 'p95', 'commit bytes', 'Welcome bytes'],
        withCommits.flatMap(commitRows),
      ),
      '',
    );
  }

  const withJoins = groups.filter((group) => group.joins);
  if (withJoins.length > 0) {
    lines.push(
      ...textTable(
        ['Join from a Welcome', 'samples', 'p50', 'p95', 'Welcome bytes', 'addressed to'],
        withJoins.map(({ devices, joins }) => [
          deviceCount(devices),
          ...timingCells(joins!.join),
          integer.format(joins!.welcomeBytes),
          deviceCount(joins!.welcomeRecipients),
        ]),
      ),
      '',
    );
  }

  const fewestCommits = Math.min(...groups.map((group) => group.state.commitsSinceJoin));
  lines.push(
    ...textTable(
      ['Group state of a member, bytes', 'after joining', `after ${fewestCommits}+ commits`],
      groups.map(({ devices, state }) => [
        deviceCount(devices),
        integer.format(state.afterJoinBytes),
        integer.format(state.steadyBytes),
      ]),
    ),
    '',
  );

  const { deviceState } = result;
  lines.push(
    ...textTable(
      ['Device state (keys outside groups)', 'bytes'],
      deviceState.states.map((state) => [
        state.oneTimeKeyPackages === 0 && !state.lastResortKeyPackage
          ? 'identity alone'
          : `${integer.format(state.oneTimeKeyPackages)} one-time + last-resort key packages`,
        integer.format(state.bytes),
      ]),
    ),
    `One key package on the wire: ${bytes(deviceState.keyPackageBytes)} bytes`,
    '',
  );

  const { media } = result;
  const megabytes = media.plaintextBytes / 1e6;
  lines.push(
    ...textTable(
      [`Media, ${integer.format(megabytes)} MB file`, 'samples', 'p50', 'p95', 'MB/s at p50'],
      [
        ['encryptMedia', ...timingCells(media.encrypt), media.encryptMBps.toFixed(1)],
        ['decryptMedia', ...timingCells(media.decrypt), media.decryptMBps.toFixed(1)],
      ],
    ),
  );
  return `${lines.join('\n')}\n`;
}

function commitRows({ devices, commits }: GroupMeasurement): string[][] {
  if (!commits) return [];
  const size = deviceCount(devices);
  return [
    [
      `${size}, self-update`,
      ...timingCells(commits.selfUpdate),
      bytes(commits.selfUpdateCommitBytes),
      '',
    ],
    [`${size}, process it (member)`, ...timingCells(commits.processCommit), '', ''],
    [
      `${size}, add 1 device`,
      ...timingCells(commits.addDevice),
      bytes(commits.addCommitBytes),
      bytes(commits.addWelcomeBytes),
    ],
  ];
}

function timingCells(timing: TimingSummary): string[] {
  return [integer.format(timing.samples), ms(timing.medianMs), ms(timing.p95Ms)];
}

/** Three significant digits or more, so that 0.84 and 1,650 both read at a glance. */
function ms(value: number): string {
  if (value >= 100) return integer.format(value);
  return value.toFixed(value >= 10 ? 1 : 2);
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1_000).toFixed(milliseconds < 1_000 ? 2 : 1)} s`;
}

function bytes(range: ByteRange): string {
  const { min, max } = range;
  return min === max ? integer.format(max) : `${integer.format(min)}-${integer.format(max)}`;
}

function deviceCount(devices: number): string {
  return `${integer.format(devices)} device${devices === 1 ? '' : 's'}`;
}
