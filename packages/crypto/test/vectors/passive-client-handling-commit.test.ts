// Node-only test. Runs the working group's passive-client-handling-commit vectors for cipher
// suite 1 through ts-mls: a member joins from a Welcome, then applies commits made by others, each
// with proposals by value or by reference (add, update, remove, external and resumption PSKs,
// group context extensions), and must derive the epoch authenticator after every one (RFC 9420,
// sections 12.4.2 and 8.7). Every case runs; together they take a few seconds. Other suites are
// left out: Parley ships suite 1 only, and several of them need optional peer dependencies of
// ts-mls that Parley does not install (fixtures/SOURCE.md).

import { describe, test } from 'node:test';

import { loadVectors, parleyCipherSuite } from './load-vectors.ts';
import { describeEpoch, followGroup, type PassiveClientVector } from './passive-client.ts';

describe('passive client handling commit vectors, cipher suite 1', () => {
  const vectors = loadVectors<PassiveClientVector>('passive-client-handling-commit');
  for (const [index, vector] of vectors.entries()) {
    const commits = vector.epochs.map(describeEpoch).join('; then ');

    test(`case ${index} derives each epoch authenticator after ${commits}`, async () => {
      await followGroup(vector, await parleyCipherSuite());
    });
  }
});
