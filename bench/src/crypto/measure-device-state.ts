// Bench-only. What a device stores outside its groups (DeviceKeys.serialize): its identity and
// the private half of every key package it has published and not yet seen used. The counts are
// the server's current limits (apps/api/src/mls/key-packages.ts): one upload carries at most 100
// one-time packages, and a device holds at most 500, plus its last-resort package.
import { byteRangeOf, type ByteRange } from './byte-range.js';
import type { InMemoryDirectory } from './in-memory-directory.js';

export type DeviceStateSize = {
  readonly oneTimeKeyPackages: number;
  readonly lastResortKeyPackage: boolean;
  readonly bytes: number;
};

export type DeviceStateMeasurement = {
  /** One key package in its wire form, as uploaded and as claimed by whoever adds the device. */
  readonly keyPackageBytes: ByteRange;
  readonly states: readonly DeviceStateSize[];
};

export async function measureDeviceState(
  directory: InMemoryDirectory,
  oneTimeCounts: readonly number[],
): Promise<DeviceStateMeasurement> {
  const states: DeviceStateSize[] = [];
  const bare = await directory.enroll();
  states.push({ oneTimeKeyPackages: 0, lastResortKeyPackage: false, bytes: size(bare) });

  const published: number[] = [];
  for (const count of oneTimeCounts) {
    const keys = await directory.enroll();
    if (count > 0) {
      for (const keyPackage of await keys.createKeyPackages(count)) {
        published.push(keyPackage.length);
      }
    }
    published.push((await keys.createLastResortKeyPackage()).length);
    states.push({ oneTimeKeyPackages: count, lastResortKeyPackage: true, bytes: size(keys) });
  }
  return { keyPackageBytes: byteRangeOf(published), states };
}

function size(keys: { serialize(): Uint8Array }): number {
  return keys.serialize().length;
}
