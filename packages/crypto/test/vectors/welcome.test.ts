// Node-only test. Checks how ts-mls opens a Welcome (RFC 9420, section 12.4.3.1) against the
// working group's welcome vectors for cipher suite 1: find the secrets meant for our key package,
// decrypt them and the GroupInfo, and check the GroupInfo's signature and confirmation tag. This is
// the first thing a new Parley device does in every conversation it is added to. Other suites are
// left out: Parley ships suite 1 only, and several of them need optional peer dependencies of
// ts-mls that Parley does not install (fixtures/SOURCE.md).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { CiphersuiteImpl, KeyPackage, Welcome } from 'ts-mls';
import { createConfirmationTag } from 'ts-mls/framedContent.js';
import { verifyGroupInfoConfirmationTag, verifyGroupInfoSignature } from 'ts-mls/groupInfo.js';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { deriveKeySchedule } from 'ts-mls/keySchedule.js';
import { decryptGroupInfo, decryptGroupSecrets } from 'ts-mls/welcome.js';

import { equalBytes, fromHex, toHex } from '../../src/bytes.ts';
import {
  assertBytes,
  decodeWholeMessage,
  loadVectors,
  parleyCipherSuite,
  parleyCipherSuiteId,
} from './load-vectors.ts';

interface WelcomeVector {
  readonly cipher_suite: number;
  readonly init_priv: string;
  readonly signer_pub: string;
  readonly key_package: string;
  readonly welcome: string;
}

describe('welcome vectors, cipher suite 1 (RFC 9420, section 12.4.3.1)', () => {
  for (const [index, vector] of loadVectors<WelcomeVector>('welcome').entries()) {
    assert.equal(vector.cipher_suite, parleyCipherSuiteId);

    const keyPackageMessage = decodeWholeMessage(vector.key_package);
    assert.equal(keyPackageMessage.wireformat, 'mls_key_package');
    const keyPackage: KeyPackage = keyPackageMessage.keyPackage;

    const welcomeMessage = decodeWholeMessage(vector.welcome);
    assert.equal(welcomeMessage.wireformat, 'mls_welcome');
    const welcome: Welcome = welcomeMessage.welcome;

    // The vectors use no PSKs, and with none the PSK secret is all zeros (section 8.4).
    const open = async (cs: CiphersuiteImpl) => {
      const pskSecret = new Uint8Array(cs.kdf.size);
      const groupSecrets = await decryptGroupSecrets(
        await cs.hpke.importPrivateKey(fromHex(vector.init_priv)),
        await makeKeyPackageRef(keyPackage, cs.hash),
        welcome,
        cs.hpke,
      );
      assert.ok(groupSecrets !== undefined, 'the GroupSecrets do not decode');
      const groupInfo = await decryptGroupInfo(welcome, groupSecrets.joinerSecret, pskSecret, cs);
      assert.ok(groupInfo !== undefined, 'the GroupInfo does not decode');
      return { joinerSecret: groupSecrets.joinerSecret, pskSecret, groupInfo };
    };

    describe(`welcome ${index}`, () => {
      // The Welcome names its recipients by KeyPackageRef (section 5.2); a wrong reference
      // would leave the new member unable to find its own entry.
      test('names the key package by its reference', async () => {
        const cs = await parleyCipherSuite();
        const reference = await makeKeyPackageRef(keyPackage, cs.hash);
        const names = welcome.secrets.map((secret) => secret.newMember);
        assert.ok(
          names.some((name) => equalBytes(name, reference)),
          'no entry for us',
        );
      });

      test('opens with the init key into a GroupInfo signed by the committer', async () => {
        const cs = await parleyCipherSuite();
        const { groupInfo } = await open(cs);
        const signerKey = fromHex(vector.signer_pub);
        assert.equal(await verifyGroupInfoSignature(groupInfo, signerKey, cs.signature), true);

        // Any other key must be refused, or the check above proves nothing.
        const otherKey = keyPackage.leafNode.signaturePublicKey;
        assert.equal(await verifyGroupInfoSignature(groupInfo, otherKey, cs.signature), false);
      });

      // The confirmation tag proves that the committer and the joiner derived the same epoch
      // (section 6.1), so it is recomputed here from the joiner secret and compared byte for
      // byte, besides asking ts-mls's own check.
      test('carries the confirmation tag that the joiner secret reproduces', async () => {
        const cs = await parleyCipherSuite();
        const { joinerSecret, pskSecret, groupInfo } = await open(cs);
        const [keySchedule] = await deriveKeySchedule(
          joinerSecret,
          pskSecret,
          groupInfo.groupContext,
          cs.kdf,
        );
        const tag = await createConfirmationTag(
          keySchedule.confirmationKey,
          groupInfo.groupContext.confirmedTranscriptHash,
          cs.hash,
        );
        assertBytes(tag, toHex(groupInfo.confirmationTag), 'confirmation tag');
        assert.equal(
          await verifyGroupInfoConfirmationTag(groupInfo, joinerSecret, pskSecret, cs),
          true,
        );
      });
    });
  }
});
