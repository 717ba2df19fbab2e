// Browser-only (page). Keeps enough of this device's key packages on the server for others to
// add it to conversations: topped up on every connect and when the server says few are left.
import { toBase64 } from '@parley/crypto';

import { uploadKeyPackagesMutation, viewerQuery } from './operations.ts';
import type { ParleyEngine } from './parley-engine.ts';

/** Uploaded up to this many one-time packages... */
const target = 20;
/** ...whenever fewer than this many are left. */
const low = 10;

export async function refillKeyPackages(engine: ParleyEngine): Promise<void> {
  const data = await engine.api.query(viewerQuery);
  const stock = data.viewer.keyPackageStock as { available: number; lastResort: boolean };
  if (stock.available >= low && stock.lastResort) return;
  const made = await engine.crypto.call('makeKeyPackages', {
    count: Math.max(0, target - stock.available),
    lastResort: !stock.lastResort,
  });
  await engine.api.mutate(uploadKeyPackagesMutation, {
    keyPackages: made.keyPackages.map(toBase64),
    lastResort: made.lastResort ? toBase64(made.lastResort) : null,
  });
}
