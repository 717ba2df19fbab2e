// Node-only test. Checks ts-mls's framing of handshake and application messages (RFC 9420, sections
// 6.1 to 6.3) against the working group's message-protection vectors for cipher suite 1: it must
// open the vector's PublicMessages and PrivateMessages, and what it protects itself must open
// again. Other suites are left out: Parley ships suite 1 only, and several of them need optional
// peer dependencies of ts-mls that Parley does not install (fixtures/SOURCE.md).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  defaultKeyRetentionConfig,
  defaultPaddingConfig,
  encodeMlsMessage,
  type CiphersuiteImpl,
  type GroupContext,
  type MLSMessage,
  type PrivateMessage,
  type PublicMessage,
} from 'ts-mls';
import type { AuthenticatedContent } from 'ts-mls/authenticatedContent.js';
import { decodeCommit, encodeCommit } from 'ts-mls/commit.js';
import { createContentCommitSignature } from 'ts-mls/framedContent.js';
import {
  protect,
  protectApplicationData,
  protectProposal,
  unprotectPrivateMessage,
} from 'ts-mls/messageProtection.js';
import {
  protectProposalPublic,
  protectPublicMessage,
  unprotectPublicMessage,
} from 'ts-mls/messageProtectionPublic.js';
import { decodeProposal, encodeProposal } from 'ts-mls/proposal.js';
import { createSecretTree } from 'ts-mls/secretTree.js';

import { fromHex, toHex } from '../../src/bytes.ts';
import {
  assertBytes,
  decodeWholeMessage,
  loadVectors,
  parleyCipherSuite,
  parleyCipherSuiteId,
} from './load-vectors.ts';

interface MessageProtectionVector {
  readonly cipher_suite: number;
  readonly group_id: string;
  readonly epoch: number;
  readonly tree_hash: string;
  readonly confirmed_transcript_hash: string;
  readonly signature_priv: string;
  readonly signature_pub: string;
  readonly encryption_secret: string;
  readonly sender_data_secret: string;
  readonly membership_key: string;
  readonly proposal: string;
  readonly proposal_pub: string;
  readonly proposal_priv: string;
  readonly commit: string;
  readonly commit_pub: string;
  readonly commit_priv: string;
  readonly application: string;
  readonly application_priv: string;
}

/** The vectors' sender is always the member at leaf 1 of a two-member group. */
const senderLeaf = 1;
const member = { senderType: 'member', leafIndex: senderLeaf } as const;

// The vectors carry the sender's signature key but no ratchet tree, so ts-mls gets that key
// through its override argument, and an empty tree. With the override, ts-mls reads the tree only
// in its sender-leaf check, whose result it ignores (fixtures/SOURCE.md, "Not covered").
const noRatchetTree: [] = [];

function publicMessageOf(message: MLSMessage): PublicMessage {
  assert.equal(message.wireformat, 'mls_public_message');
  return message.publicMessage;
}

function privateMessageOf(message: MLSMessage): PrivateMessage {
  assert.equal(message.wireformat, 'mls_private_message');
  return message.privateMessage;
}

/** Passes a message through its wire encoding, as a receiver would get it. */
function overTheWire(message: MLSMessage): MLSMessage {
  return decodeWholeMessage(toHex(encodeMlsMessage(message)));
}

/** Decodes a vector value that is not an MLSMessage, such as a bare Proposal or Commit. */
function decodeWhole<T>(
  decode: (bytes: Uint8Array, offset: number) => [T, number] | undefined,
  hex: string,
): T {
  const decoded = decode(fromHex(hex), 0);
  assert.ok(
    decoded !== undefined && decoded[1] === hex.length / 2,
    'the vector value does not decode',
  );
  return decoded[0];
}

function assertSentByLeafOne(content: AuthenticatedContent): void {
  assert.deepEqual(content.content.sender, member);
}

describe('message protection vectors, cipher suite 1 (RFC 9420, section 6)', () => {
  for (const vector of loadVectors<MessageProtectionVector>('message-protection')) {
    assert.equal(vector.cipher_suite, parleyCipherSuiteId);

    const signaturePublicKey = fromHex(vector.signature_pub);
    const signaturePrivateKey = fromHex(vector.signature_priv);
    const membershipKey = fromHex(vector.membership_key);
    const senderDataSecret = fromHex(vector.sender_data_secret);

    const groupContext = (cs: CiphersuiteImpl): GroupContext => ({
      version: 'mls10',
      cipherSuite: cs.name,
      groupId: fromHex(vector.group_id),
      epoch: BigInt(vector.epoch),
      treeHash: fromHex(vector.tree_hash),
      confirmedTranscriptHash: fromHex(vector.confirmed_transcript_hash),
      extensions: [],
    });

    // A fresh secret tree for every message, as the vectors' ratchets all start at generation 0.
    const secretTree = (cs: CiphersuiteImpl) =>
      createSecretTree(2, fromHex(vector.encryption_secret), cs.kdf);

    const openPublic = async (message: MLSMessage, cs: CiphersuiteImpl) => {
      const content = await unprotectPublicMessage(
        membershipKey,
        groupContext(cs),
        noRatchetTree,
        publicMessageOf(message),
        cs,
        signaturePublicKey,
      );
      assertSentByLeafOne(content);
      return content.content;
    };

    const openPrivate = async (message: MLSMessage, cs: CiphersuiteImpl) => {
      const { content } = await unprotectPrivateMessage(
        senderDataSecret,
        privateMessageOf(message),
        await secretTree(cs),
        noRatchetTree,
        groupContext(cs),
        defaultKeyRetentionConfig,
        cs,
        signaturePublicKey,
      );
      assertSentByLeafOne(content);
      return content.content;
    };

    const asProposal = (content: AuthenticatedContent['content']) => {
      assert.equal(content.contentType, 'proposal');
      return encodeProposal(content.proposal);
    };
    const asCommit = (content: AuthenticatedContent['content']) => {
      assert.equal(content.contentType, 'commit');
      return encodeCommit(content.commit);
    };
    const asApplication = (content: AuthenticatedContent['content']) => {
      assert.equal(content.contentType, 'application');
      return content.applicationData;
    };

    describe('a proposal', () => {
      test('in the vector PublicMessage passes the membership tag and signature', async () => {
        const cs = await parleyCipherSuite();
        const content = await openPublic(decodeWholeMessage(vector.proposal_pub), cs);
        assertBytes(asProposal(content), vector.proposal, 'proposal');
      });

      // The membership tag is what keeps outsiders from injecting handshake messages in the
      // clear (section 6.2), so a wrong key must fail, or the test above proves nothing.
      test('in the vector PublicMessage is refused under another membership key', async () => {
        const cs = await parleyCipherSuite();
        const otherKey = membershipKey.slice();
        otherKey[0]! ^= 1;
        const message = publicMessageOf(decodeWholeMessage(vector.proposal_pub));
        await assert.rejects(
          unprotectPublicMessage(
            otherKey,
            groupContext(cs),
            noRatchetTree,
            message,
            cs,
            signaturePublicKey,
          ),
          /membership/i,
        );
      });

      test('in the vector PrivateMessage decrypts and passes the signature check', async () => {
        const cs = await parleyCipherSuite();
        const content = await openPrivate(decodeWholeMessage(vector.proposal_priv), cs);
        assertBytes(asProposal(content), vector.proposal, 'proposal');
      });

      test('protected here as a PublicMessage opens again', async () => {
        const cs = await parleyCipherSuite();
        const { publicMessage } = await protectProposalPublic(
          signaturePrivateKey,
          membershipKey,
          groupContext(cs),
          new Uint8Array(),
          decodeWhole(decodeProposal, vector.proposal),
          senderLeaf,
          cs,
        );
        const sent = overTheWire({
          version: 'mls10',
          wireformat: 'mls_public_message',
          publicMessage,
        });
        assertBytes(asProposal(await openPublic(sent, cs)), vector.proposal, 'proposal');
      });

      test('protected here as a PrivateMessage opens again', async () => {
        const cs = await parleyCipherSuite();
        const { privateMessage } = await protectProposal(
          signaturePrivateKey,
          senderDataSecret,
          decodeWhole(decodeProposal, vector.proposal),
          new Uint8Array(),
          groupContext(cs),
          await secretTree(cs),
          senderLeaf,
          defaultPaddingConfig,
          cs,
        );
        const sent = overTheWire({
          version: 'mls10',
          wireformat: 'mls_private_message',
          privateMessage,
        });
        assertBytes(asProposal(await openPrivate(sent, cs)), vector.proposal, 'proposal');
      });
    });

    describe('a commit', () => {
      test('in the vector PublicMessage passes the membership tag and signature', async () => {
        const cs = await parleyCipherSuite();
        const content = await openPublic(decodeWholeMessage(vector.commit_pub), cs);
        assertBytes(asCommit(content), vector.commit, 'commit');
      });

      test('in the vector PrivateMessage decrypts and passes the signature check', async () => {
        const cs = await parleyCipherSuite();
        const content = await openPrivate(decodeWholeMessage(vector.commit_priv), cs);
        assertBytes(asCommit(content), vector.commit, 'commit');
      });

      // A commit's confirmation tag is only checked when the commit is applied (section 6.1),
      // and the vectors give no confirmation key, so the tag of the vector's own commit is
      // carried over as an opaque value.
      const protectCommit = async (
        wireformat: 'mls_public_message' | 'mls_private_message',
        cs: CiphersuiteImpl,
      ) => {
        const vectorCommit = publicMessageOf(decodeWholeMessage(vector.commit_pub));
        assert.equal(vectorCommit.auth.contentType, 'commit');
        const { framedContent, signature } = await createContentCommitSignature(
          groupContext(cs),
          wireformat,
          decodeWhole(decodeCommit, vector.commit),
          member,
          new Uint8Array(),
          signaturePrivateKey,
          cs.signature,
        );
        const auth = {
          contentType: 'commit',
          signature,
          confirmationTag: vectorCommit.auth.confirmationTag,
        } as const;
        return { framedContent, auth };
      };

      test('protected here as a PublicMessage opens again', async () => {
        const cs = await parleyCipherSuite();
        const { framedContent, auth } = await protectCommit('mls_public_message', cs);
        const publicMessage = await protectPublicMessage(
          membershipKey,
          groupContext(cs),
          { wireformat: 'mls_public_message', content: framedContent, auth },
          cs,
        );
        const sent = overTheWire({
          version: 'mls10',
          wireformat: 'mls_public_message',
          publicMessage,
        });
        assertBytes(asCommit(await openPublic(sent, cs)), vector.commit, 'commit');
      });

      test('protected here as a PrivateMessage opens again', async () => {
        const cs = await parleyCipherSuite();
        const { framedContent, auth } = await protectCommit('mls_private_message', cs);
        const { privateMessage } = await protect(
          senderDataSecret,
          new Uint8Array(),
          groupContext(cs),
          await secretTree(cs),
          { contentType: 'commit', commit: framedContent.commit, auth },
          senderLeaf,
          defaultPaddingConfig,
          cs,
        );
        const sent = overTheWire({
          version: 'mls10',
          wireformat: 'mls_private_message',
          privateMessage,
        });
        assertBytes(asCommit(await openPrivate(sent, cs)), vector.commit, 'commit');
      });
    });

    describe('application data', () => {
      test('in the vector PrivateMessage decrypts and passes the signature check', async () => {
        const cs = await parleyCipherSuite();
        const content = await openPrivate(decodeWholeMessage(vector.application_priv), cs);
        assertBytes(asApplication(content), vector.application, 'application data');
      });

      test('protected here as a PrivateMessage opens again', async () => {
        const cs = await parleyCipherSuite();
        const { privateMessage } = await protectApplicationData(
          signaturePrivateKey,
          senderDataSecret,
          fromHex(vector.application),
          new Uint8Array(),
          groupContext(cs),
          await secretTree(cs),
          senderLeaf,
          defaultPaddingConfig,
          cs,
        );
        const sent = overTheWire({
          version: 'mls10',
          wireformat: 'mls_private_message',
          privateMessage,
        });
        assertBytes(
          asApplication(await openPrivate(sent, cs)),
          vector.application,
          'application data',
        );
      });

      // Application data must always be encrypted (section 6.2), so that only members read it.
      test('is refused as a PublicMessage', async () => {
        const cs = await parleyCipherSuite();
        const content = await openPrivate(decodeWholeMessage(vector.application_priv), cs);
        await assert.rejects(
          protectPublicMessage(
            membershipKey,
            groupContext(cs),
            {
              wireformat: 'mls_public_message',
              content,
              auth: { contentType: 'application', signature: new Uint8Array(64) },
            },
            cs,
          ),
          /application/i,
        );
      });
    });
  }
});
