// Node-only test. Runs the working group's passive-client-welcome vectors for cipher suite 1
// through ts-mls: a new member joins from a Welcome, with the ratchet tree inside the GroupInfo or
// given beside it, with or without an external PSK, and must derive the group's epoch
// authenticator (RFC 9420, sections 12.4.3.1 and 8.7). Every case runs; together they take about
// two seconds. Other suites are left out: Parley ships suite 1 only, and several of them need
// optional peer dependencies of ts-mls that Parley does not install (fixtures/SOURCE.md).

import { describe, test } from 'node:test';

import { loadVectors, parleyCipherSuite } from './load-vectors.ts';
import { followGroup, type PassiveClientVector } from './passive-client.ts';

describe('passive client welcome vectors, cipher suite 1', () => {
  for (const [index, vector] of loadVectors<PassiveClientVector>(
    'passive-client-welcome',
  ).entries()) {
    const tree =
      vector.ratchet_tree === null ? 'the tree in the GroupInfo' : 'the tree given apart';
    const count = vector.external_psks.length;
    const psks = count === 0 ? 'no PSK' : `${count} external PSK${count === 1 ? '' : 's'}`;

    test(`case ${index} joins with ${tree} and ${psks} into the vector epoch`, async () => {
      await followGroup(vector, await parleyCipherSuite());
    });
  }
});
