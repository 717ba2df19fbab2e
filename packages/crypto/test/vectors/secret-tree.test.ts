// Node-only test. Checks ts-mls's secret tree and sender-data keys (RFC 9420, sections 9 and 6.3.2)
// against the working group's secret-tree vectors for cipher suite 1. These are the keys that
// encrypt every chat message. Other suites are left out: Parley ships suite 1 only, and several of
// them need optional peer dependencies of ts-mls that Parley does not install (fixtures/SOURCE.md).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { defaultKeyRetentionConfig } from 'ts-mls';
import { expandSenderDataKey, expandSenderDataNonce, type ReuseGuard } from 'ts-mls/sender.js';
import { createSecretTree, ratchetToGeneration } from 'ts-mls/secretTree.js';

import { fromHex } from '../../src/bytes.ts';
import {
  assertBytes,
  loadVectors,
  parleyCipherSuite,
  parleyCipherSuiteId,
} from './load-vectors.ts';

interface SecretTreeVector {
  readonly cipher_suite: number;
  readonly sender_data: {
    readonly sender_data_secret: string;
    readonly ciphertext: string;
    readonly key: string;
    readonly nonce: string;
  };
  readonly encryption_secret: string;
  /** Indexed by leaf: the keys and nonces that leaf's two ratchets give at some generations. */
  readonly leaves: readonly (readonly {
    readonly generation: number;
    readonly handshake_key: string;
    readonly handshake_nonce: string;
    readonly application_key: string;
    readonly application_nonce: string;
  }[])[];
}

// The per-message nonce is the ratchet's nonce XORed with the message's reuse guard (section
// 6.3.1); an all-zero guard leaves the ratchet's own nonce, which is what the vectors list.
const zeroReuseGuard = new Uint8Array(4) as ReuseGuard;

describe('secret tree vectors, cipher suite 1 (RFC 9420, section 9)', () => {
  for (const vector of loadVectors<SecretTreeVector>('secret-tree')) {
    assert.equal(vector.cipher_suite, parleyCipherSuiteId);
    const leafCount = vector.leaves.length;
    const size = leafCount === 1 ? '1 leaf' : `${leafCount} leaves`;

    test(`sender data key and nonce come from the ciphertext sample, tree of ${size}`, async () => {
      const cs = await parleyCipherSuite();
      const { sender_data_secret, ciphertext, key, nonce } = vector.sender_data;
      const [secret, sample] = [fromHex(sender_data_secret), fromHex(ciphertext)];
      assertBytes(await expandSenderDataKey(cs, secret, sample), key, 'sender data key');
      assertBytes(await expandSenderDataNonce(cs, secret, sample), nonce, 'sender data nonce');
    });

    test(`every leaf's two ratchets give the vector keys and nonces, tree of ${size}`, async () => {
      const cs = await parleyCipherSuite();
      const tree = await createSecretTree(leafCount, fromHex(vector.encryption_secret), cs.kdf);

      for (const [leafIndex, generations] of vector.leaves.entries()) {
        for (const expected of generations) {
          const senderData = {
            leafIndex,
            generation: expected.generation,
            reuseGuard: zeroReuseGuard,
          };
          const where = `leaf ${leafIndex}, generation ${expected.generation}`;

          // Each lookup starts from the tree as created: ratchetToGeneration returns an advanced
          // copy and leaves its input alone, so generation 0 is still there after generation 15.
          const handshake = await ratchetToGeneration(
            tree,
            senderData,
            'commit',
            defaultKeyRetentionConfig,
            cs,
          );
          assertBytes(handshake.key, expected.handshake_key, `handshake key, ${where}`);
          assertBytes(handshake.nonce, expected.handshake_nonce, `handshake nonce, ${where}`);

          const application = await ratchetToGeneration(
            tree,
            senderData,
            'application',
            defaultKeyRetentionConfig,
            cs,
          );
          assertBytes(application.key, expected.application_key, `application key, ${where}`);
          assertBytes(application.nonce, expected.application_nonce, `application nonce, ${where}`);
        }
      }
    });
  }
});
