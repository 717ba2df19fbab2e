// Node-only maintenance script, not a test. Refreshes ./data from a checkout of the MLS working
// group's test-vectors folder, keeping only what Parley's vector tests read
// (see fixtures/SOURCE.md):
//
//   node --import tsx packages/crypto/test/vectors/copy-vectors.ts <path to test-vectors/>
//
// Entries are parsed and written back unchanged apart from whitespace. Every number in the kept
// files fits in a double, so JSON.parse loses nothing; the script checks that rather than
// trusting it.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Parley ships MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 only (RFC 9420, section 17.1). */
const parleyCipherSuite = 1;

/** Files whose entries carry a `cipher_suite` field; only suite 1 is kept. */
const perSuiteFiles = [
  'crypto-basics.json',
  'key-schedule.json',
  'secret-tree.json',
  'message-protection.json',
  'welcome.json',
  'transcript-hashes.json',
  'passive-client-welcome.json',
  'passive-client-handling-commit.json',
];

/** Files that do not depend on a cipher suite; copied whole. */
const suiteIndependentFiles = ['tree-math.json', 'deserialization.json'];

function assertSafeIntegers(value: unknown, where: string): void {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new Error(`${where}: ${value} would not survive JSON.parse; copy this file by hand.`);
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) assertSafeIntegers(child, `${where}.${key}`);
  }
}

function copy(sourceFolder: string, file: string, keep: (entry: any) => boolean): void {
  const entries: unknown[] = JSON.parse(readFileSync(join(sourceFolder, file), 'utf8'));
  const kept = entries.filter(keep);
  assertSafeIntegers(kept, file);
  const target = join(import.meta.dirname, 'fixtures', file);
  writeFileSync(target, `${JSON.stringify(kept, null, 1)}\n`);
  console.log(`${file}: kept ${kept.length} of ${entries.length} entries`);
}

const sourceFolder = process.argv[2];
if (sourceFolder === undefined) {
  throw new Error('Pass the path of the test-vectors folder of mlswg/mls-implementations.');
}
for (const file of perSuiteFiles) {
  copy(sourceFolder, file, (entry) => entry.cipher_suite === parleyCipherSuite);
}
for (const file of suiteIndependentFiles) copy(sourceFolder, file, () => true);
