// One signed-in device as a Parley client: its keys, one MLS group per conversation it has
// joined, a cursor per conversation, and an outbox. It processes the events of the device's
// stream in order and saves its state after each one, so that a restart resumes exactly where
// the last run stopped: nothing is processed twice, and nothing is skipped.
//
// Every method runs through one queue (see serial-queue.ts): events, the outbox and key package
// uploads all change the same keys, groups and file, in an order that must not interleave.
import {
  DeviceKeys,
  Group,
  isCryptoError,
  type AuthenticationPolicy,
  type DeviceRef,
  type MessageContent,
  type Received,
} from '@parley/crypto';

import type {
  Cursor,
  DeviceEvent,
  MembershipEvent,
  MessageEvent,
  WelcomeEvent,
} from './device-event.ts';
import { directoryPolicy } from './directory-policy.ts';
import { OutOfOrderError } from './errors.ts';
import { refillKeyPackages, type KeyPackagePolicy } from './key-package-stock.ts';
import { describeError, type Logger } from './logger.ts';
import { Outbox, type OutboxEntry } from './outbox.ts';
import type { Account, ParleyApi } from './parley-api.ts';
import { apiFailureIn, classifyFailure } from './retry-policy.ts';
import { SerialQueue } from './serial-queue.ts';
import type { SavedState, StateStore } from './state-store.ts';

/** The application itself: what to answer a decrypted message with, if anything. */
export type Responder = (content: MessageContent) => MessageContent | undefined;

export type DeviceSessionOptions = {
  readonly api: ParleyApi;
  readonly store: StateStore;
  readonly logger: Logger;
  readonly keyPackages: KeyPackagePolicy;
  readonly respond: Responder;
};

type Conversation = {
  /** The last seq processed. */
  cursor: number;
  readonly group: Group;
};

export class DeviceSession {
  readonly account: Account;
  readonly #options: DeviceSessionOptions;
  readonly #keys: DeviceKeys;
  readonly #policy: AuthenticationPolicy;
  readonly #conversations: Map<string, Conversation>;
  readonly #outbox: Outbox;
  readonly #queue = new SerialQueue();
  readonly #log: Logger;
  #lastResortUsed = false;

  private constructor(
    options: DeviceSessionOptions,
    account: Account,
    keys: DeviceKeys,
    policy: AuthenticationPolicy,
    conversations: Map<string, Conversation>,
    outbox: Outbox,
  ) {
    this.#options = options;
    this.account = account;
    this.#keys = keys;
    this.#policy = policy;
    this.#conversations = conversations;
    this.#outbox = outbox;
    this.#log = options.logger.child({ subsystem: 'session' });
  }

  /**
   * Restores the device from the state file, or signs a new one in with `signIn`. Each step is
   * saved before the next one starts, so that an interrupted start picks up where it stopped
   * instead of signing in as yet another device.
   */
  static async open(
    options: DeviceSessionOptions,
    signIn: () => Promise<Account>,
  ): Promise<DeviceSession> {
    const { api, store } = options;
    const saved = await store.load();
    const conversations = saved?.conversations ?? [];
    const outbox = saved?.outbox ?? [];

    // 1. A token for this device.
    let account = saved?.account;
    if (!account) {
      account = await signIn();
      await store.save({ account, deviceKeys: undefined, conversations, outbox });
    }
    api.signedInAs(account);

    // 2. Its signature key pair, named after the ids the API gave the device.
    let keys: DeviceKeys;
    if (saved?.deviceKeys) {
      keys = DeviceKeys.deserialize(saved.deviceKeys);
    } else {
      keys = await DeviceKeys.create({ userId: account.userId, deviceId: account.deviceId });
      await store.save({ account, deviceKeys: keys.serialize(), conversations, outbox });
    }

    // 3. The public key in the directory. Registering the same key again is accepted, so this
    // runs on every start; a refusal means the saved keys are not the ones this device has.
    await api.registerDeviceKey(keys.identity.signaturePublicKey);

    const policy = directoryPolicy(api);
    const groups = new Map(
      conversations.map(({ conversationId, cursor, group }) => [
        conversationId,
        { cursor, group: Group.deserialize(group, policy) },
      ]),
    );
    return new DeviceSession(options, account, keys, policy, groups, new Outbox(outbox));
  }

  get device(): DeviceRef {
    return { userId: this.account.userId, deviceId: this.account.deviceId };
  }

  /** Where to resume each joined conversation; the server replays what comes after. */
  cursors(): Cursor[] {
    return [...this.#conversations].map(([conversationId, { cursor }]) => ({
      conversationId,
      seq: cursor,
    }));
  }

  /** Before subscribing: sends what the last run left in the outbox, and tops key packages up. */
  prepare(): Promise<void> {
    return this.#queue.run(async () => {
      await this.#flushOutbox();
      await this.#refillKeyPackages();
    });
  }

  /** Processes one event of the stream, then sends what it produced. */
  handle(event: DeviceEvent): Promise<void> {
    return this.#queue.run(async () => {
      switch (event.type) {
        case 'welcome':
          await this.#join(event);
          break;
        case 'message':
          await this.#receive(event);
          break;
        case 'membership':
          await this.#membershipChanged(event);
          break;
        case 'caught_up':
          this.#log.info('caught up; listening', { conversations: this.#conversations.size });
          break;
        case 'other':
          break;
        default: {
          const unknown: never = event;
          throw new Error(`Unhandled event ${JSON.stringify(unknown)}`);
        }
      }
      await this.#flushOutbox();
    });
  }

  /** Drops a conversation this user is no longer in (its cursor would refuse the stream). */
  forget(conversationId: string): Promise<void> {
    return this.#queue.run(() => this.#forget(conversationId));
  }

  /** Settles once the work queued so far is done. */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  // A Welcome comes before the messages that follow its commit (the server sends it first), so
  // the group exists by the time they arrive, and the cursor starts at the commit itself.
  async #join(event: WelcomeEvent): Promise<void> {
    const log = this.#log.child({ conversation: event.conversationId, commitSeq: event.commitSeq });
    const existing = this.#conversations.get(event.conversationId);
    // The server hands a Welcome out until the device subscribes with a cursor at or past its
    // commit: one for a commit already passed is the Welcome this device joined with. A later
    // one means that it was removed and added again, and its old group is of no more use.
    if (existing && existing.cursor >= event.commitSeq) return;

    const packagesBefore = this.#keys.keyPackages.size;
    let group: Group;
    try {
      group = await Group.join(this.#keys, event.welcome, this.#policy);
    } catch (error) {
      if (!isCryptoError(error) || apiFailureIn(error)) throw error;
      // UNKNOWN_CREDENTIAL, for one: a member whose key the directory does not confirm.
      log.warn('refused a Welcome', describeError(error));
      return;
    }
    // Joining deletes a one-time package's private half and keeps the last-resort one, so an
    // unchanged count means the Welcome was addressed to the last-resort package.
    if (this.#keys.keyPackages.size === packagesBefore) this.#lastResortUsed = true;

    this.#conversations.set(event.conversationId, { cursor: event.commitSeq, group });
    await this.#save();
    log.info('joined the conversation', { epoch: group.epoch, devices: group.members().length });
    await this.#refillKeyPackages();
  }

  async #receive(event: MessageEvent): Promise<void> {
    const log = this.#log.child({ conversation: event.conversationId, seq: event.seq });
    const conversation = this.#conversations.get(event.conversationId);
    if (!conversation) {
      // From before this device was added to the group: it holds no keys for it.
      log.debug('skipped a message from before this device joined');
      return;
    }
    if (event.seq <= conversation.cursor) return;
    if (event.seq !== conversation.cursor + 1) {
      throw new OutOfOrderError(event.conversationId, conversation.cursor + 1, event.seq);
    }

    // This device's own messages are skipped: MLS never encrypts to the sender's own leaf, so
    // it cannot decrypt them, and it knows what it sent.
    if (event.senderDeviceId !== this.account.deviceId) {
      const received = await this.#decrypt(conversation.group, event, log);
      if (received?.type === 'commit' && received.removedSelf) {
        log.info('this device was removed from the group');
        return this.#forget(event.conversationId);
      }
      if (received) await this.#act(event, conversation.group, received, log);
    }

    conversation.cursor = event.seq;
    await this.#save();
  }

  async #decrypt(group: Group, event: MessageEvent, log: Logger): Promise<Received | undefined> {
    try {
      return await group.receive(event.ciphertext);
    } catch (error) {
      if (!isCryptoError(error) || apiFailureIn(error)) throw error;
      // Trying again would fail the same way: the bytes and the group are what they are. The
      // message is passed over, as a messenger shows "this message could not be decrypted".
      log.warn('could not decrypt a message; passing over it', describeError(error));
      return undefined;
    }
  }

  // The reply is encrypted and put in the outbox in the same step that moves the cursor past
  // the message, and both are saved together: after a crash, either the message is processed
  // again from the old state, or the reply is in the outbox; never both, and never neither.
  async #act(event: MessageEvent, group: Group, received: Received, log: Logger): Promise<void> {
    switch (received.type) {
      case 'commit':
        log.info('the group moved to a new epoch', {
          epoch: received.epoch,
          added: received.added.length,
          removed: received.removed.length,
        });
        return;
      case 'application': {
        this.#outbox.addReceipt(event.conversationId, 'delivered', event.seq);
        const answer = this.#options.respond(received.content);
        if (!answer) return;
        this.#outbox.addMessage(event.conversationId, answer.id, await group.send(answer));
        this.#outbox.addReceipt(event.conversationId, 'read', event.seq);
        log.info('answered a message', { kind: received.content.type });
        return;
      }
    }
  }

  async #membershipChanged(event: MembershipEvent): Promise<void> {
    if (!event.userIds.includes(this.account.userId)) return;
    const log = this.#log.child({ conversation: event.conversationId });
    switch (event.change) {
      case 'MEMBER_REMOVED':
        log.info('left the conversation');
        await this.#forget(event.conversationId);
        return;
      case 'CREATED':
      case 'MEMBER_ADDED':
        // The user is a member; the device joins when a member's commit adds it to the group.
        log.info('added to a conversation; waiting for its Welcome');
        return;
      case 'UPDATED':
      case 'OTHER':
        return;
    }
  }

  async #forget(conversationId: string): Promise<void> {
    const known = this.#conversations.delete(conversationId);
    this.#outbox.forgetConversation(conversationId);
    if (known) await this.#save();
  }

  async #flushOutbox(): Promise<void> {
    for (const entry of [...this.#outbox.entries]) {
      try {
        await this.#deliver(entry);
      } catch (error) {
        if (classifyFailure(error) !== 'conversation-gone') throw error;
        this.#log.warn('dropped what was owed to a conversation this user left', {
          conversation: entry.conversationId,
        });
      }
      this.#outbox.remove(entry);
      await this.#save();
    }
  }

  async #deliver(entry: OutboxEntry): Promise<void> {
    const { api } = this.#options;
    switch (entry.type) {
      case 'message': {
        const sent = await api.sendMessage(
          entry.conversationId,
          entry.clientMessageId,
          entry.ciphertext,
        );
        this.#log.debug('sent a message', {
          conversation: entry.conversationId,
          seq: sent.seq,
          duplicate: sent.duplicate,
        });
        return;
      }
      case 'receipt':
        await api.markReceipt(entry.conversationId, entry.receipt, entry.seq);
        return;
    }
  }

  async #refillKeyPackages(): Promise<void> {
    const refilled = await refillKeyPackages({
      api: this.#options.api,
      keys: this.#keys,
      policy: this.#options.keyPackages,
      lastResortUsed: this.#lastResortUsed,
      saveKeys: () => this.#save(),
    });
    if (!refilled) return;
    this.#lastResortUsed = false;
    this.#log.info('uploaded key packages', {
      uploaded: refilled.uploaded,
      available: refilled.available,
    });
  }

  #save(): Promise<void> {
    return this.#options.store.save(this.#snapshot());
  }

  #snapshot(): SavedState {
    return {
      account: this.account,
      deviceKeys: this.#keys.serialize(),
      conversations: [...this.#conversations].map(([conversationId, { cursor, group }]) => ({
        conversationId,
        cursor,
        group: group.serialize(),
      })),
      outbox: this.#outbox.entries,
    };
  }
}
