// Keeping the device reachable: others add a device to a group with one of its key packages
// (RFC 9420, section 10), each used once, so the device uploads more as they run out. When none
// is left the server hands out the device's last-resort package (RFC 9420, section 16.8), which
// several joiners may share; the device replaces it once it has been used, to keep that short.
import type { DeviceKeys } from '@parley/crypto';

import type { KeyPackageStock, ParleyApi } from './parley-api.ts';

export type KeyPackagePolicy = {
  /** Upload more once fewer than this many one-time packages are left. Default 10. */
  readonly lowWatermark: number;
  /** How many to upload at a time, at most 100 (the API's limit per upload). Default 30. */
  readonly batch: number;
};

export const defaultKeyPackagePolicy: KeyPackagePolicy = { lowWatermark: 10, batch: 30 };

export type RefillOptions = {
  readonly api: ParleyApi;
  readonly keys: DeviceKeys;
  readonly policy: KeyPackagePolicy;
  /** A Welcome used the last-resort package since it was uploaded. */
  readonly lastResortUsed: boolean;
  /** Saves the device keys, private halves of the new packages included. */
  readonly saveKeys: () => Promise<void>;
};

/** Tops the server's stock up if it is low; returns what was uploaded, if anything. */
export async function refillKeyPackages(
  options: RefillOptions,
): Promise<(KeyPackageStock & { readonly uploaded: number }) | undefined> {
  const { api, keys, policy } = options;
  const stock = await api.keyPackageStock();
  const oneTime = stock.available < policy.lowWatermark;
  const lastResort = !stock.lastResort || options.lastResortUsed;
  if (!oneTime && !lastResort) return undefined;

  const packages = oneTime ? await keys.createKeyPackages(policy.batch) : [];
  const lastResortPackage = lastResort ? await keys.createLastResortKeyPackage() : undefined;

  // The private halves are on disk before the public halves are on the server: a Welcome to a
  // package whose private half was lost in a crash could never be opened.
  await options.saveKeys();
  const after = await api.uploadKeyPackages(packages, lastResortPackage);
  return { ...after, uploaded: packages.length + (lastResortPackage ? 1 : 0) };
}
