// Node-only test helper. Plays the passive client of the working group's passive-client vectors:
// a member that joins from a Welcome and then only follows what others commit (RFC 9420,
// sections 12.4.3.1 and 12.4.2). Parley's devices spend most of their life in exactly this role.

import assert from 'node:assert/strict';

import {
  bytesToBase64,
  joinGroup,
  makePskIndex,
  processPrivateMessage,
  processPublicMessage,
  type CiphersuiteImpl,
  type ClientState,
  type KeyPackage,
  type MLSMessage,
  type PrivateKeyPackage,
  type Proposal,
  type RatchetTree,
} from 'ts-mls';
import { decryptWithLabel, encryptWithLabel } from 'ts-mls/crypto/hpke.js';
import { signWithLabel, verifyWithLabel } from 'ts-mls/crypto/signature.js';
import { decodeRatchetTree } from 'ts-mls/ratchetTree.js';

import { fromHex, toHex } from '../../src/bytes.ts';
import { assertBytes, decodeWholeMessage, parleyCipherSuiteId } from './load-vectors.ts';

export interface PassiveClientVector {
  readonly cipher_suite: number;
  readonly external_psks: readonly { readonly psk_id: string; readonly psk: string }[];
  readonly key_package: string;
  readonly signature_priv: string;
  readonly encryption_priv: string;
  readonly init_priv: string;
  readonly welcome: string;
  readonly ratchet_tree: string | null;
  readonly initial_epoch_authenticator: string;
  readonly epochs: readonly {
    readonly proposals: readonly string[];
    readonly commit: string;
    readonly epoch_authenticator: string;
  }[];
}

function keyPackageOf(message: MLSMessage): KeyPackage {
  assert.equal(message.wireformat, 'mls_key_package');
  return message.keyPackage;
}

/**
 * The vectors hand over private keys apart from the KeyPackage, so first prove that they belong
 * to it: a signature made with `signature_priv` verifies under the leaf's signature key, and
 * HPKE ciphertexts sealed to `init_key` and to the leaf's `encryption_key` open with the
 * matching private keys.
 */
async function assertKeysMatchKeyPackage(
  keyPackage: KeyPackage,
  keys: PrivateKeyPackage,
  cs: CiphersuiteImpl,
): Promise<void> {
  const probe = new TextEncoder().encode('parley key check');

  const signature = await signWithLabel(keys.signaturePrivateKey, 'Probe', probe, cs.signature);
  const publicSignatureKey = keyPackage.leafNode.signaturePublicKey;
  assert.ok(await verifyWithLabel(publicSignatureKey, 'Probe', probe, signature, cs.signature));

  const pairs: [Uint8Array, Uint8Array][] = [
    [keyPackage.initKey, keys.initPrivateKey],
    [keyPackage.leafNode.hpkePublicKey, keys.hpkePrivateKey],
  ];
  for (const [publicKey, privateKey] of pairs) {
    const sealed = await encryptWithLabel(
      await cs.hpke.importPublicKey(publicKey),
      'Probe',
      new Uint8Array(),
      probe,
      cs.hpke,
    );
    const opened = await decryptWithLabel(
      await cs.hpke.importPrivateKey(privateKey),
      'Probe',
      new Uint8Array(),
      sealed.enc,
      sealed.ct,
      cs.hpke,
    );
    assert.equal(toHex(opened), toHex(probe));
  }
}

/** Applies one handshake message, proposal or commit, to the client's state. */
async function applyHandshake(
  state: ClientState,
  hex: string,
  externalPsks: Record<string, Uint8Array>,
  cs: CiphersuiteImpl,
): Promise<ClientState> {
  const message = decodeWholeMessage(hex);

  // The index is rebuilt from the current state on every message because resumption PSKs
  // (RFC 9420, section 8.6) name an epoch of this very group.
  const psks = makePskIndex(state, externalPsks);

  // ts-mls's processMessage hands an empty PSK index to private messages, which would refuse a
  // private commit that injects a PSK, so each wire format is dispatched here instead.
  switch (message.wireformat) {
    case 'mls_public_message':
      return (await processPublicMessage(state, message.publicMessage, psks, cs)).newState;
    case 'mls_private_message': {
      const result = await processPrivateMessage(state, message.privateMessage, psks, cs);
      assert.equal(result.kind, 'newState', 'a handshake message was read as application data');
      return result.newState;
    }
    default:
      throw new Error(`expected a handshake message, got ${message.wireformat}`);
  }
}

/**
 * Joins from the vector's Welcome, then applies each epoch's proposals and commit, checking the
 * epoch authenticator (RFC 9420, section 8.7) after the join and after every commit. Two members
 * agree on it only if they derived the same epoch secret, so it sums up the whole state.
 */
export async function followGroup(vector: PassiveClientVector, cs: CiphersuiteImpl): Promise<void> {
  assert.equal(vector.cipher_suite, parleyCipherSuiteId);
  const keyPackage = keyPackageOf(decodeWholeMessage(vector.key_package));
  const keys: PrivateKeyPackage = {
    initPrivateKey: fromHex(vector.init_priv),
    hpkePrivateKey: fromHex(vector.encryption_priv),
    signaturePrivateKey: fromHex(vector.signature_priv),
  };
  await assertKeysMatchKeyPackage(keyPackage, keys, cs);

  // ts-mls keys its external PSK lookup by the base64 of the PSK id.
  const externalPsks: Record<string, Uint8Array> = {};
  for (const { psk_id, psk } of vector.external_psks) {
    externalPsks[bytesToBase64(fromHex(psk_id))] = fromHex(psk);
  }

  const welcome = decodeWholeMessage(vector.welcome);
  assert.equal(welcome.wireformat, 'mls_welcome');

  // Without a ratchet_tree extension in the GroupInfo, the tree travels beside the Welcome
  // (RFC 9420, section 12.4.3.3).
  let ratchetTree: RatchetTree | undefined;
  if (vector.ratchet_tree !== null) {
    const bytes = fromHex(vector.ratchet_tree);
    const decoded = decodeRatchetTree(bytes, 0);
    assert.ok(decoded !== undefined && decoded[1] === bytes.length, 'ratchet_tree does not decode');
    ratchetTree = decoded[0];
  }

  let state = await joinGroup(
    welcome.welcome,
    keyPackage,
    keys,
    makePskIndex(undefined, externalPsks),
    cs,
    ratchetTree,
  );
  assertBytes(
    state.keySchedule.epochAuthenticator,
    vector.initial_epoch_authenticator,
    'epoch authenticator after joining',
  );

  for (const [index, epoch] of vector.epochs.entries()) {
    for (const proposal of epoch.proposals) {
      state = await applyHandshake(state, proposal, externalPsks, cs);
    }
    state = await applyHandshake(state, epoch.commit, externalPsks, cs);
    assertBytes(
      state.keySchedule.epochAuthenticator,
      epoch.epoch_authenticator,
      `epoch authenticator after commit ${index + 1}`,
    );
  }
}

function nameProposal(proposal: Proposal): string {
  if (typeof proposal.proposalType === 'number') return `custom proposal ${proposal.proposalType}`;
  if (proposal.proposalType === 'psk') return `${proposal.psk.preSharedKeyId.psktype} psk`;
  return proposal.proposalType.replaceAll('_', ' ');
}

function nameProposalMessage(hex: string): string {
  const message = decodeWholeMessage(hex);
  if (message.wireformat !== 'mls_public_message') return 'private proposal';
  const content = message.publicMessage.content;
  return content.contentType === 'proposal' ? nameProposal(content.proposal) : content.contentType;
}

/**
 * Names what an epoch's commit does, for test titles, for example "a public commit of remove by
 * reference, with a path". Only public commits can be looked into without the group's keys.
 */
export function describeEpoch(epoch: PassiveClientVector['epochs'][number]): string {
  const message = decodeWholeMessage(epoch.commit);
  if (message.wireformat !== 'mls_public_message') return 'a private commit';
  const content = message.publicMessage.content;
  if (content.contentType !== 'commit') return `a public ${content.contentType}`;

  const byValue = content.commit.proposals.flatMap((entry) =>
    entry.proposalOrRefType === 'proposal' ? [nameProposal(entry.proposal)] : [],
  );
  const byReference = epoch.proposals.map(nameProposalMessage);
  const parts = [
    byValue.length > 0 ? `${byValue.join(', ')} by value` : undefined,
    byReference.length > 0 ? `${byReference.join(', ')} by reference` : undefined,
  ].filter((part) => part !== undefined);
  const path = content.commit.path === undefined ? 'without a path' : 'with a path';
  if (parts.length === 0) return `an empty public commit ${path}`;
  return `a public commit of ${parts.join(' and ')}, ${path}`;
}
