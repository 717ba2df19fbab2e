// Shared (browser and Node). One conversation's MLS group (RFC 9420) as seen by one device: the
// only place that holds its epoch secrets. The server orders handshake messages, so a commit is
// made here as a proposal to the server (a PendingCommit) and applied only once the server has
// accepted it for the current epoch; a refused one is dropped and made again after catching up.
import {
  createApplicationMessage,
  createCommit,
  createGroup,
  decodeGroupState,
  emptyPskIndex,
  encodeGroupState,
  encodeMlsMessage,
  joinGroup,
  mlsExporter,
  processPrivateMessage,
  type ClientConfig,
  type ClientState,
  type Proposal,
} from 'ts-mls';
import { defaultClientConfig } from 'ts-mls/clientConfig.js';

import { authenticationService, type AuthenticationPolicy } from './authentication.ts';
import { equalBytes, utf8 } from './bytes.ts';
import type { DeviceKeys } from './device-keys.ts';
import { decodeContent, encodeContent, type MessageContent } from './content.ts';
import { ParleyCryptoError } from './errors.ts';
import { decodeMessage, difference, leaves, senderOf, type GroupMember } from './group-state.ts';
import { deviceOfCredential, type DeviceRef } from './identity.ts';
import { additions, removals } from './group-proposals.ts';
import { createKeyPackage } from './key-packages.ts';
import { toCryptoError } from './mls-errors.ts';
import { SerialQueue } from './serial-queue.ts';
import { StateReader, StateWriter } from './state-codec.ts';
import { cipherSuite } from './suite.ts';

export type { GroupMember };

const stateTag = 'PGS1';
const stateVersion = 1;

/** A commit this device made, waiting for the server to accept it for `epoch`. */
export type PendingCommit = {
  /** The epoch the commit was made in; the server accepts it only while that is current. */
  readonly epoch: number;
  /** The MLSMessage (a PrivateMessage holding the commit) for every current member. */
  readonly commit: Uint8Array;
  /** The MLSMessage Welcome for the devices it adds, if it adds any. */
  readonly welcome: Uint8Array | undefined;
  readonly added: readonly DeviceRef[];
  readonly removed: readonly DeviceRef[];
  /** Opaque: the state the group moves to when the commit is applied. */
  readonly next: unknown;
};

/** What processing one message from the conversation's log produced. */
export type Received =
  | {
      readonly type: 'application';
      readonly epoch: number;
      readonly sender: DeviceRef;
      /** The decoded content; an unknown kind arrives as `unsupported`, never dropped. */
      readonly content: MessageContent;
    }
  | {
      readonly type: 'commit';
      /** The epoch the group is in now. */
      readonly epoch: number;
      readonly sender: DeviceRef | undefined;
      readonly added: readonly DeviceRef[];
      readonly removed: readonly DeviceRef[];
      /** This device was removed: the group can no longer be used. */
      readonly removedSelf: boolean;
    };

export class Group {
  #state: ClientState;
  readonly #queue = new SerialQueue();

  private constructor(state: ClientState) {
    this.#state = state;
  }

  /** A new group with this device as its only member, at epoch 0. */
  static async create(
    keys: DeviceKeys,
    groupId: Uint8Array,
    policy: AuthenticationPolicy,
  ): Promise<Group> {
    const config = clientConfig(policy);
    // The creator's leaf comes from a fresh key package that is never published.
    const own = await createKeyPackage(keys.identity, false);
    try {
      const state = await createGroup(
        groupId,
        own.publicPackage,
        own.privatePackage,
        [],
        await cipherSuite(),
        config,
      );
      return new Group(state);
    } catch (error) {
      throw toCryptoError(error, 'Creating the group');
    }
  }

  /**
   * Joins from a Welcome (RFC 9420, section 12.4.3.1) addressed to one of this device's key
   * packages. The ratchet tree comes inside the Welcome's GroupInfo, and every leaf in it is
   * checked by the authentication service before the group is usable.
   */
  static async join(
    keys: DeviceKeys,
    welcomeBytes: Uint8Array,
    policy: AuthenticationPolicy,
  ): Promise<Group> {
    const message = decodeMessage(welcomeBytes, 'Reading the Welcome');
    if (message.wireformat !== 'mls_welcome') {
      throw new ParleyCryptoError('MALFORMED', 'These bytes are not an MLS Welcome.');
    }
    const secret = keys.keyPackages.forWelcome(message.welcome);
    const config = clientConfig(policy);
    let state: ClientState;
    try {
      state = await joinGroup(
        message.welcome,
        secret.publicPackage,
        secret.privatePackage,
        emptyPskIndex,
        await cipherSuite(),
        undefined,
        undefined,
        config,
      );
    } catch (error) {
      throw toCryptoError(error, 'Joining from the Welcome');
    }
    keys.keyPackages.consume(secret);
    return new Group(state);
  }

  get groupId(): Uint8Array {
    return this.#state.groupContext.groupId;
  }

  get epoch(): number {
    return Number(this.#state.groupContext.epoch);
  }

  /** False once a commit removed this device. */
  get active(): boolean {
    return this.#state.groupActiveState.kind === 'active';
  }

  get ownLeafIndex(): number {
    return this.#state.privatePath.leafIndex;
  }

  /**
   * A value every member of the same epoch shares and nobody else can compute (RFC 9420,
   * section 8.7): comparing it out of band shows that two members see the same group.
   */
  get epochAuthenticator(): Uint8Array {
    return this.#state.keySchedule.epochAuthenticator;
  }

  members(): GroupMember[] {
    return leaves(this.#state).map(({ leafIndex, leaf }) => ({
      ...deviceOfCredential(leaf.credential),
      leafIndex,
      signaturePublicKey: leaf.signaturePublicKey,
    }));
  }

  /** A secret for another purpose derived from this epoch (RFC 9420, section 8.5). */
  async exportSecret(label: string, context: Uint8Array, length: number): Promise<Uint8Array> {
    return mlsExporter(
      this.#state.keySchedule.exporterSecret,
      label,
      context,
      length,
      await cipherSuite(),
    );
  }

  /** Encrypts content for every member of the current epoch, as an MLSMessage. */
  send(content: MessageContent): Promise<Uint8Array> {
    return this.#encrypt(encodeContent(content));
  }

  #encrypt(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#queue.run(async () => {
      this.#requireActive();
      try {
        const result = await createApplicationMessage(this.#state, plaintext, await cipherSuite());
        this.#state = result.newState;
        return encodeMlsMessage({
          version: 'mls10',
          wireformat: 'mls_private_message',
          privateMessage: result.privateMessage,
        });
      } catch (error) {
        throw toCryptoError(error, 'Encrypting');
      }
    });
  }

  /**
   * Adds devices from their claimed key packages, in one commit. Each package is checked first
   * (suite, signature, and its credential against the directory and pins), so that one bad
   * package gets a clear error naming it instead of failing the whole commit obscurely.
   */
  add(keyPackages: readonly Uint8Array[], policy: AuthenticationPolicy): Promise<PendingCommit> {
    return this.#queue.run(async () => {
      this.#requireActive();
      const { proposals, added } = await additions(keyPackages, policy, this.members());
      return this.#commit(proposals, added, []);
    });
  }

  /**
   * Removes devices, in a commit of its own: ts-mls 1.x breaks the removed member's client when
   * one commit both removes and adds, and a removal should not wait for anything.
   */
  remove(deviceIds: readonly string[]): Promise<PendingCommit> {
    return this.#queue.run(async () => {
      this.#requireActive();
      const { proposals, removed } = removals(deviceIds, this.members(), this.ownLeafIndex);
      return this.#commit(proposals, [], removed);
    });
  }

  /**
   * An empty commit with a fresh path (RFC 9420, section 12.4): new keys for this leaf and every
   * node above it, so that a past compromise of this device's group secrets stops mattering.
   */
  selfUpdate(): Promise<PendingCommit> {
    return this.#queue.run(async () => {
      this.#requireActive();
      return this.#commit([], [], []);
    });
  }

  /**
   * Moves to the epoch a pending commit creates, once the server has accepted it. A commit made
   * in an epoch the group has left since is refused: applying it would fork the group.
   */
  applyCommit(pending: PendingCommit): Promise<void> {
    return this.#queue.run(async () => {
      if (pending.epoch !== this.epoch) {
        throw new ParleyCryptoError(
          'WRONG_EPOCH',
          `The commit was made in epoch ${pending.epoch}; the group is in ${this.epoch}.`,
        );
      }
      const next = pending.next as { state: ClientState; groupId: Uint8Array };
      if (next.groupId !== this.#state.groupContext.groupId) {
        throw new ParleyCryptoError('INVALID_OPERATION', 'The commit belongs to another group.');
      }
      this.#state = next.state;
    });
  }

  /**
   * Processes the next message of the conversation's log: a commit moves the group to the next
   * epoch; application data is decrypted and attributed to its sender's device. Nothing changes
   * when processing fails, so a tampered or replayed message leaves the group usable. (Content
   * that decrypts but does not decode throws MALFORMED after its keys were used: it cannot be
   * read again, and there is nothing in it to read.)
   */
  receive(bytes: Uint8Array): Promise<Received> {
    return this.#queue.run(async () => {
      const message = decodeMessage(bytes, 'Reading the message');
      if (message.wireformat !== 'mls_private_message') {
        throw new ParleyCryptoError(
          'MALFORMED',
          `Expected an MLS private message, got ${message.wireformat}.`,
        );
      }
      const privateMessage = message.privateMessage;
      if (!equalBytes(privateMessage.groupId, this.groupId)) {
        throw new ParleyCryptoError('MALFORMED', 'This message belongs to another group.');
      }
      if (!this.active) {
        throw new ParleyCryptoError('NOT_A_MEMBER', 'This device was removed from the group.');
      }

      // MLS keys are per epoch: a message from a later epoch than ours needs the commits before
      // it first, and one from long ago needs secrets this member has deleted (or never had).
      if (privateMessage.epoch > this.#state.groupContext.epoch) {
        throw new ParleyCryptoError(
          'WRONG_EPOCH',
          `The message is from epoch ${privateMessage.epoch}, after this member's ${this.epoch}: ` +
            'process the commits before it first.',
        );
      }

      const before = this.#state;
      // Listing members walks the whole tree: only a commit needs it, to say who changed.
      const beforeMembers = privateMessage.contentType === 'commit' ? this.members() : [];
      const suite = await cipherSuite();
      let result: Awaited<ReturnType<typeof processPrivateMessage>>;
      try {
        result = await processPrivateMessage(before, privateMessage, emptyPskIndex, suite);
      } catch (error) {
        throw toCryptoError(error, 'Decrypting');
      }

      if (result.kind === 'applicationMessage') {
        const sender = await senderOf(before, privateMessage);
        this.#state = result.newState;
        return {
          type: 'application',
          epoch: Number(privateMessage.epoch),
          sender,
          content: decodeContent(result.message),
        };
      }

      const sender = await senderOf(before, privateMessage).catch(() => undefined);
      this.#state = result.newState;
      const removedSelf = !this.active;
      const afterMembers = removedSelf ? [] : this.members();
      return {
        type: 'commit',
        epoch: this.epoch,
        sender,
        added: difference(afterMembers, beforeMembers),
        removed: removedSelf
          ? beforeMembers.filter((m) => m.leafIndex === before.privatePath.leafIndex)
          : difference(beforeMembers, afterMembers),
        removedSelf,
      };
    });
  }

  /** The group's whole state, for IndexedDB or a file. It holds secrets: store it as such. */
  serialize(): Uint8Array {
    return new StateWriter(stateTag, stateVersion).bytes(encodeGroupState(this.#state)).finish();
  }

  static deserialize(bytes: Uint8Array, policy: AuthenticationPolicy): Group {
    const reader = new StateReader(bytes, stateTag, stateVersion, 'group state');
    const encoded = reader.bytes();
    reader.end();
    const decoded = decodeGroupState(encoded, 0);
    if (!decoded || decoded[1] !== encoded.length) {
      throw new ParleyCryptoError('MALFORMED', 'The group state does not decode.');
    }
    const config = clientConfig(policy);
    return new Group({ ...decoded[0], clientConfig: config });
  }

  async #commit(
    proposals: Proposal[],
    added: DeviceRef[],
    removed: DeviceRef[],
  ): Promise<PendingCommit> {
    let result: Awaited<ReturnType<typeof createCommit>>;
    try {
      // The ratchet tree travels in the Welcome's GroupInfo (RFC 9420, section 12.4.3.3), so a
      // joiner needs nothing from the server but the Welcome itself.
      result = await createCommit(
        { state: this.#state, cipherSuite: await cipherSuite() },
        { extraProposals: proposals, ratchetTreeExtension: true },
      );
    } catch (error) {
      throw toCryptoError(error, 'Making the commit');
    }
    return {
      epoch: this.epoch,
      commit: encodeMlsMessage(result.commit),
      welcome: result.welcome
        ? encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome })
        : undefined,
      added,
      removed,
      next: { state: result.newState, groupId: this.#state.groupContext.groupId },
    };
  }

  #requireActive(): void {
    if (!this.active) {
      throw new ParleyCryptoError('NOT_A_MEMBER', 'This device was removed from the group.');
    }
  }
}

function clientConfig(policy: AuthenticationPolicy): ClientConfig {
  return { ...defaultClientConfig, authService: authenticationService(policy) };
}

/** The MLS group id of a conversation: its id as the API names it. */
export function groupIdOf(conversationId: string): Uint8Array {
  return utf8(conversationId);
}
