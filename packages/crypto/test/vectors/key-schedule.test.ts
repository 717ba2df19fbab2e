// Node-only test. Checks ts-mls's key schedule (RFC 9420, section 8) against the working group's
// key-schedule vectors for cipher suite 1: a chain of epochs, each fed the init secret of the one
// before. Other suites are left out: Parley ships suite 1 only, and several of them need optional
// peer dependencies of ts-mls that Parley does not install (fixtures/SOURCE.md).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mlsExporter, type GroupContext } from 'ts-mls';
import { encodeGroupContext } from 'ts-mls/groupContext.js';
import { initializeEpoch } from 'ts-mls/keySchedule.js';

import { fromHex } from '../../src/bytes.ts';
import {
  assertBytes,
  loadVectors,
  parleyCipherSuite,
  parleyCipherSuiteId,
} from './load-vectors.ts';

interface KeyScheduleEpoch {
  readonly tree_hash: string;
  readonly commit_secret: string;
  readonly psk_secret: string;
  readonly confirmed_transcript_hash: string;
  readonly group_context: string;
  readonly joiner_secret: string;
  readonly welcome_secret: string;
  readonly init_secret: string;
  readonly sender_data_secret: string;
  readonly encryption_secret: string;
  readonly exporter_secret: string;
  readonly epoch_authenticator: string;
  readonly external_secret: string;
  readonly confirmation_key: string;
  readonly membership_key: string;
  readonly resumption_psk: string;
  readonly external_pub: string;
  readonly exporter: {
    readonly label: string;
    readonly context: string;
    readonly length: number;
    readonly secret: string;
  };
}

interface KeyScheduleVector {
  readonly cipher_suite: number;
  readonly group_id: string;
  readonly initial_init_secret: string;
  readonly epochs: readonly KeyScheduleEpoch[];
}

describe('key schedule vectors, cipher suite 1 (RFC 9420, section 8)', () => {
  for (const vector of loadVectors<KeyScheduleVector>('key-schedule')) {
    assert.equal(vector.cipher_suite, parleyCipherSuiteId);

    for (const [index, epoch] of vector.epochs.entries()) {
      // Each epoch starts from the vector's own init secret for the epoch before, so one wrong
      // epoch fails alone instead of taking every later epoch with it.
      const initSecret =
        index === 0 ? vector.initial_init_secret : vector.epochs[index - 1]!.init_secret;

      const groupContext = async (): Promise<GroupContext> => ({
        version: 'mls10',
        cipherSuite: (await parleyCipherSuite()).name,
        groupId: fromHex(vector.group_id),
        epoch: BigInt(index),
        treeHash: fromHex(epoch.tree_hash),
        confirmedTranscriptHash: fromHex(epoch.confirmed_transcript_hash),
        extensions: [],
      });

      test(`epoch ${index}: the GroupContext encodes as in the vector (section 8.1)`, async () => {
        assertBytes(encodeGroupContext(await groupContext()), epoch.group_context, 'GroupContext');
      });

      test(`epoch ${index}: every secret of the epoch matches the vector`, async () => {
        const cs = await parleyCipherSuite();
        const secrets = await initializeEpoch(
          fromHex(initSecret),
          fromHex(epoch.commit_secret),
          await groupContext(),
          fromHex(epoch.psk_secret),
          cs.kdf,
        );

        assertBytes(secrets.joinerSecret, epoch.joiner_secret, 'joiner_secret');
        assertBytes(secrets.welcomeSecret, epoch.welcome_secret, 'welcome_secret');
        assertBytes(secrets.encryptionSecret, epoch.encryption_secret, 'encryption_secret');
        const schedule = secrets.keySchedule;
        assertBytes(schedule.initSecret, epoch.init_secret, 'init_secret');
        assertBytes(schedule.senderDataSecret, epoch.sender_data_secret, 'sender_data_secret');
        assertBytes(schedule.exporterSecret, epoch.exporter_secret, 'exporter_secret');
        assertBytes(schedule.epochAuthenticator, epoch.epoch_authenticator, 'epoch_authenticator');
        assertBytes(schedule.externalSecret, epoch.external_secret, 'external_secret');
        assertBytes(schedule.confirmationKey, epoch.confirmation_key, 'confirmation_key');
        assertBytes(schedule.membershipKey, epoch.membership_key, 'membership_key');
        assertBytes(schedule.resumptionPsk, epoch.resumption_psk, 'resumption_psk');
      });

      // External joiners encrypt to this key (section 8.3), so it must be derived exactly.
      test(`epoch ${index}: the external public key derives from the external secret`, async () => {
        const cs = await parleyCipherSuite();
        const { publicKey } = await cs.hpke.deriveKeyPair(fromHex(epoch.external_secret));
        assertBytes(await cs.hpke.exportPublicKey(publicKey), epoch.external_pub, 'external_pub');
      });

      // The generator used the label's hex spelling as the label text, and so does this test.
      test(`epoch ${index}: MLS-Exporter gives the vector secret (section 8.5)`, async () => {
        const cs = await parleyCipherSuite();
        const { label, context, length, secret } = epoch.exporter;
        const exported = await mlsExporter(
          fromHex(epoch.exporter_secret),
          label,
          fromHex(context),
          length,
          cs,
        );
        assertBytes(exported, secret, 'exported secret');
      });
    }
  }
});
