// Browser-only (page). This browser as a Parley device: it keeps the event stream open, hands
// every message to the crypto worker in log order, sends what the outbox holds, answers with
// receipts, and tells the screens when something changed. What the screens show is read from
// IndexedDB (view-store.ts), so a reload or an offline start shows the same thing.
import { SerialQueue, toBase64 } from '@parley/crypto';
import { CombinedError } from '@urql/core';
import { pipe, subscribe } from 'wonka';

import { historyTransaction } from '../shared/history.ts';
import {
  openLocalDatabase,
  type Account,
  type ConversationRecord,
  type LocalDatabase,
  type UserRecord,
} from '../shared/local-database.ts';
import { Api, isTransient } from './api.ts';
import { addAwaitingDevices, bringDevicesIn } from './group-membership.ts';
import { CryptoClient } from './crypto-client.ts';
import { parseDeviceEvent, type DeviceEvent } from './device-event.ts';
import { ApiError, createApiClients, type ApiClients } from './graphql-client.ts';
import {
  conversationQuery,
  conversationsQuery,
  discoverContactsMutation,
  eventsSubscription,
  markDeliveredMutation,
  markReadMutation,
  registerDeviceKeyMutation,
  setTypingMutation,
  startDirectConversationMutation,
  usersQuery,
  uploadKeyPackagesMutation,
  viewerQuery,
} from './operations.ts';
import { Outbox } from './outbox.ts';

export type ConnectionState = 'connecting' | 'online' | 'offline';

export type Presence = { readonly online: boolean | null; readonly lastSeenAt: number | null };

export type ServerUser = {
  id: string;
  displayName: string;
  phoneNumber: string;
  about: string;
  avatarRef: string | null;
  online: boolean | null;
  lastSeenAt: string | null;
};

export type ServerConversation = {
  id: string;
  kind: 'DIRECT' | 'GROUP';
  title: string | null;
  epoch: number;
  activityAt: string;
  lastSeq: number;
  deliveredUpTo: number;
  readUpTo: number | null;
  members: { user: ServerUser }[];
  devicesAwaitingJoin: { deviceId: string; user: { id: string } }[];
};

type MessageEvent = DeviceEvent & { readonly type: 'message' };

const keyPackageTarget = 20;
/** The most messages handed to the crypto worker at once. */
const maxBatch = 200;
/** How long receipts wait to gather a burst of messages into one request. */
const receiptDelayMs = 250;
/** At most this often, the screens are told to read what changed. */
const notifyIntervalMs = 50;
const keyPackageLow = 10;

export class ParleyEngine {
  readonly account: Account;
  readonly db: LocalDatabase;
  readonly crypto: CryptoClient;
  readonly api: Api;
  readonly outbox: Outbox;
  readonly #clients: ApiClients;
  readonly #listeners = new Set<() => void>();
  /** Events are processed one at a time, in arrival order: the log's order is MLS's order. */
  readonly #events = new SerialQueue();
  readonly presence = new Map<string, Presence>();
  /** conversationId → userId → when their "typing…" lapses (ms). */
  readonly typing = new Map<string, Map<string, number>>();
  connection: ConnectionState = 'connecting';
  /** The conversation on screen, whose messages count as read when the page is visible. */
  openConversationId: string | undefined;
  /** The server no longer accepts this device's token. */
  onSignedOut: (() => void) | undefined;
  #stream: { unsubscribe(): void } | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #awaitingTimer: ReturnType<typeof setInterval> | undefined;
  #failures = 0;
  #stopped = false;
  #version = 0;
  readonly #delivered = new Map<string, number>();
  /** Events received and not yet handled, oldest first. */
  readonly #inbox: DeviceEvent[] = [];
  readonly #reads = new Map<string, Promise<void>>();
  #receiptTimer: ReturnType<typeof setTimeout> | undefined;
  #notifyTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(account: Account, db: LocalDatabase, crypto: CryptoClient) {
    this.account = account;
    this.db = db;
    this.crypto = crypto;
    this.#clients = createApiClients(account.token);
    this.api = new Api(this.#clients.client);
    this.outbox = new Outbox(this);
  }

  /** Opens the device saved in this browser, if one is. */
  static async resume(): Promise<ParleyEngine | undefined> {
    const db = await openLocalDatabase();
    const saved = await db.get('device', 'self');
    if (!saved) return undefined;
    return ParleyEngine.start(saved.account);
  }

  static async start(account: Account): Promise<ParleyEngine> {
    const db = await openLocalDatabase();
    const existing = await db.get('device', 'self');
    if (!existing) await db.put('device', { account }, 'self');
    const crypto = new CryptoClient();
    await crypto.call('open', { account });
    const engine = new ParleyEngine(account, db, crypto);
    engine.#connect();
    // No event says that a member signed in on a new device, so the list is checked now and
    // then, and on every reconnect.
    engine.#awaitingTimer = setInterval(() => {
      if (engine.connection === 'online')
        void engine.#events.run(() => engine.#addAwaitingDevices());
    }, 10_000);
    window.addEventListener('online', engine.#reconnectNow);
    document.addEventListener('visibilitychange', engine.#visibilityChanged);
    return engine;
  }

  get version(): number {
    return this.#version;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Tells the screens that something they show may have changed. A burst of changes (a backlog
   * being decrypted) becomes one notice per interval: every screen reads IndexedDB again on a
   * notice, and those reads would otherwise hold up the crypto worker's writes.
   */
  changed(): void {
    this.#version++;
    if (this.#notifyTimer !== undefined) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = undefined;
      for (const listener of this.#listeners) listener();
    }, notifyIntervalMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#stream?.unsubscribe();
    clearTimeout(this.#retryTimer);
    clearInterval(this.#awaitingTimer);
    clearTimeout(this.#receiptTimer);
    this.outbox.stop();
    window.removeEventListener('online', this.#reconnectNow);
    document.removeEventListener('visibilitychange', this.#visibilityChanged);
    void this.#clients.socket.dispose();
    this.crypto.terminate();
  }

  // --- Connection -------------------------------------------------------------------------

  #connect(): void {
    if (this.#stopped) return;
    this.connection = 'connecting';
    this.changed();
    void this.#events.run(async () => {
      try {
        await this.#prepare();
      } catch (error) {
        this.#lost(error);
        return;
      }
      const cursors = await this.crypto.call('cursors', {});
      const source = this.#clients.client.subscription(eventsSubscription, { cursors });
      this.#stream = pipe(
        source,
        subscribe((result) => {
          if (result.error) {
            this.#lost(result.error);
            return;
          }
          if (!result.data?.events) return;
          this.#arrived(result.data.events);
        }),
      );
    });
  }

  // Registering the key again is accepted, so this runs on every connect: a device whose first
  // start was interrupted finishes signing up for encryption here.
  async #prepare(): Promise<void> {
    const { signatureKey } = await this.crypto.call('open', { account: this.account });
    await this.api.mutate(registerDeviceKeyMutation, { signatureKey: toBase64(signatureKey) });
    await this.refillKeyPackages();
    await this.refreshConversations();
  }

  #lost(error: unknown): void {
    this.#stream?.unsubscribe();
    this.#stream = undefined;
    // The next stream starts from the cursors the worker saved, replaying what these were.
    this.#inbox.length = 0;
    if (this.#stopped) return;
    if (isSignedOut(error)) {
      // Revoked from another device (or the account is gone): this device's keys and history
      // must not outlive its access, so the app erases them and starts over.
      this.stop();
      this.onSignedOut?.();
      return;
    }
    console.warn('Parley: connection lost', describeFailure(error));
    this.connection = 'offline';
    this.changed();
    // Exponential backoff with full jitter, capped at 30 s; "online" events retry at once.
    this.#failures++;
    const delay = Math.random() * Math.min(30_000, 500 * 2 ** this.#failures);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  // The browser says the network is back: whatever waits in the outbox goes now, and a lost
  // stream is opened again without waiting for its backoff.
  readonly #reconnectNow = () => {
    void this.outbox.flush();
    if (this.connection !== 'offline') return;
    clearTimeout(this.#retryTimer);
    this.#connect();
  };

  readonly #visibilityChanged = () => {
    if (document.visibilityState === 'visible' && this.openConversationId) {
      void this.markRead(this.openConversationId);
    }
  };

  // --- Events -----------------------------------------------------------------------------

  async #handle(event: DeviceEvent): Promise<void> {
    switch (event.type) {
      case 'welcome':
        await this.crypto.call('join', {
          conversationId: event.conversationId,
          commitSeq: event.commitSeq,
          welcome: event.welcome,
        });
        await this.refreshConversation(event.conversationId);
        return;
      case 'message':
        await this.#receive([event]);
        return;
      case 'receipt':
        if (event.userId !== this.account.userId) {
          await this.refreshConversation(event.conversationId);
        }
        return;
      case 'typing': {
        if (event.userId === this.account.userId) return;
        const typing = this.typing.get(event.conversationId) ?? new Map<string, number>();
        if (event.typing) typing.set(event.userId, event.expiresAt);
        else typing.delete(event.userId);
        this.typing.set(event.conversationId, typing);
        this.changed();
        // "typing…" lapses by itself: redraw when it does.
        if (event.typing) setTimeout(() => this.changed(), event.expiresAt - Date.now() + 50);
        return;
      }
      case 'presence':
        this.presence.set(event.userId, { online: event.online, lastSeenAt: event.lastSeenAt });
        this.changed();
        return;
      case 'conversation':
        await this.refreshConversation(event.conversationId);
        return;
      case 'key_packages_low':
        await this.refillKeyPackages();
        return;
      case 'caught_up':
        this.#failures = 0;
        this.connection = 'online';
        this.changed();
        await this.#sendReceipts();
        await this.#addAwaitingDevices();
        void this.outbox.flush();
        return;
      case 'other':
        return;
      default: {
        const unknown: never = event;
        throw new Error(`Unhandled event ${JSON.stringify(unknown)}`);
      }
    }
  }

  // Events wait in arrival order and are taken out in runs: consecutive messages of one
  // conversation go to the crypto worker together (a backlog of a thousand is a handful of
  // requests), and everything else one at a time, in between, where it arrived.
  #arrived(raw: unknown): void {
    let event: DeviceEvent;
    try {
      event = parseDeviceEvent(raw);
    } catch (error) {
      this.#lost(error);
      return;
    }
    this.#inbox.push(event);
    if (this.#inbox.length > 1) return; // A drain is already queued.
    void this.#events.run(() => this.#drain()).catch((error: unknown) => this.#lost(error));
  }

  async #drain(): Promise<void> {
    while (this.#inbox.length > 0) {
      const first = this.#inbox[0] as DeviceEvent;
      if (first.type !== 'message') {
        await this.#handle(first);
        this.#inbox.shift();
        continue;
      }
      let run = 1;
      while (run < maxBatch) {
        const next = this.#inbox[run];
        if (next?.type !== 'message' || next.conversationId !== first.conversationId) break;
        run++;
      }
      await this.#receive(this.#inbox.slice(0, run) as MessageEvent[]);
      this.#inbox.splice(0, run);
    }
  }

  async #receive(messages: readonly MessageEvent[]): Promise<void> {
    const conversationId = (messages[0] as MessageEvent).conversationId;
    const results = await this.crypto.call('receive', {
      conversationId,
      messages: messages.map((message) => ({
        conversationId,
        seq: message.seq,
        kind: message.kind,
        senderUserId: message.senderUserId,
        senderDeviceId: message.senderDeviceId,
        ciphertext: message.ciphertext,
        storedAt: message.storedAt,
      })),
    });
    for (const [i, result] of results.entries()) {
      const message = messages[i] as MessageEvent;
      if (result.type === 'not-joined') continue;
      if (message.senderUserId !== this.account.userId) {
        this.#delivered.set(conversationId, message.seq);
      }
      if (result.type === 'processed' && result.change.arrived) {
        this.typing.get(conversationId)?.delete(message.senderUserId);
      }
      if (result.type === 'commit' && result.removedSelf) {
        await this.refreshConversation(conversationId);
      }
    }
    this.changed();
    // Receipts go out once the replay is done, and then shortly after live messages, one
    // request for a burst: the event queue never waits on them.
    if (this.connection === 'online') this.#scheduleReceipts();
  }

  #scheduleReceipts(): void {
    if (this.#receiptTimer !== undefined) return;
    this.#receiptTimer = setTimeout(() => {
      this.#receiptTimer = undefined;
      void this.#sendReceipts();
    }, receiptDelayMs);
  }

  async #sendReceipts(): Promise<void> {
    const owed = [...this.#delivered];
    this.#delivered.clear();
    for (const [conversationId, seq] of owed) {
      try {
        await this.api.mutate(markDeliveredMutation, { conversationId, seq });
      } catch (error) {
        if (!isTransient(error)) continue;
        this.#delivered.set(
          conversationId,
          Math.max(seq, this.#delivered.get(conversationId) ?? 0),
        );
        return;
      }
    }
    if (this.openConversationId) await this.markRead(this.openConversationId);
  }

  // --- What the screens ask for -----------------------------------------------------------

  /**
   * Marks everything in the open conversation read, when the page is actually seen; at most once
   * per short interval, so that a burst of messages costs one receipt.
   */
  markRead(conversationId: string): Promise<void> {
    const pending = this.#reads.get(conversationId);
    if (pending) return pending;
    const run = new Promise<void>((resolve) => setTimeout(resolve, receiptDelayMs)).then(() => {
      this.#reads.delete(conversationId);
      return this.#markReadNow(conversationId);
    });
    this.#reads.set(conversationId, run);
    return run;
  }

  async #markReadNow(conversationId: string): Promise<void> {
    if (this.#stopped || document.visibilityState !== 'visible') return;
    // One transaction: the crypto worker may be adding a message to the same record.
    const tx = this.db.transaction('conversations', 'readwrite');
    const conversation = await tx.store.get(conversationId);
    const last = conversation?.lastMessage?.seq ?? 0;
    if (!conversation || (conversation.readUpTo >= last && conversation.unread === 0)) return;
    await tx.store.put({ ...conversation, readUpTo: last, unread: 0 });
    await tx.done;
    this.changed();
    try {
      await this.api.mutate(markReadMutation, { conversationId, seq: last });
    } catch (error) {
      if (!isTransient(error)) console.warn('Parley: markRead refused', error);
    }
  }

  async setTyping(conversationId: string, typing: boolean): Promise<void> {
    if (this.connection !== 'online') return;
    try {
      await this.api.mutate(setTypingMutation, { conversationId, typing });
    } catch {
      // Typing is a hint: losing one is not worth a retry.
    }
  }

  async refillKeyPackages(): Promise<void> {
    const data = await this.api.query(viewerQuery);
    const stock = data.viewer.keyPackageStock as { available: number; lastResort: boolean };
    if (stock.available >= keyPackageLow && stock.lastResort) return;
    const made = await this.crypto.call('makeKeyPackages', {
      count: Math.max(0, keyPackageTarget - stock.available),
      lastResort: !stock.lastResort,
    });
    await this.api.mutate(uploadKeyPackagesMutation, {
      keyPackages: made.keyPackages.map(toBase64),
      lastResort: made.lastResort ? toBase64(made.lastResort) : null,
    });
  }

  async refreshConversations(): Promise<void> {
    const data = await this.api.query(conversationsQuery);
    const nodes = (
      data.conversations.edges as {
        node: Omit<ServerConversation, 'members' | 'devicesAwaitingJoin'> & {
          members: { user: { id: string } }[];
        };
      }[]
    ).map((edge) => edge.node);
    const ids = [...new Set(nodes.flatMap((node) => node.members.map((m) => m.user.id)))];
    const users = new Map<string, ServerUser>();
    if (ids.length > 0) {
      const found = await this.api.query(usersQuery, { ids });
      for (const user of found.nodes as (ServerUser | null)[]) {
        if (user?.id) users.set(user.id, user);
      }
    }
    for (const node of nodes) {
      await this.saveConversation({
        ...node,
        devicesAwaitingJoin: [],
        members: node.members.flatMap((member) => {
          const user = users.get(member.user.id);
          return user ? [{ user }] : [];
        }),
      });
    }
    this.changed();
  }

  async refreshConversation(conversationId: string): Promise<void> {
    try {
      const data = await this.api.query(conversationQuery, { id: conversationId });
      await this.saveConversation(data.conversation as ServerConversation);
    } catch (error) {
      if (isTransient(error)) return;
      // No longer a member: the conversation stays readable here, as history.
    }
    this.changed();
  }

  /** Merges what the server says of a conversation into the local record. */
  async saveConversation(node: ServerConversation): Promise<ConversationRecord> {
    const tx = historyTransaction(this.db, ['users']);
    for (const member of node.members) {
      await tx.objectStore('users').put(userRecord(member.user));
      if (member.user.online !== null || member.user.lastSeenAt !== null) {
        this.presence.set(member.user.id, {
          online: member.user.online,
          lastSeenAt: member.user.lastSeenAt ? Date.parse(member.user.lastSeenAt) : null,
        });
      }
    }
    const conversations = tx.objectStore('conversations');
    const existing = await conversations.get(node.id);
    const record: ConversationRecord = {
      unread: 0,
      readUpTo: 0,
      ...existing,
      id: node.id,
      kind: node.kind,
      ...((existing?.title ?? node.title) && { title: existing?.title ?? node.title ?? '' }),
      memberUserIds: node.members.map((member) => member.user.id),
      activityAt: Math.max(existing?.activityAt ?? 0, Date.parse(node.activityAt)),
      othersDeliveredUpTo: node.deliveredUpTo,
      othersReadUpTo: node.readUpTo ?? 0,
    };
    await conversations.put(record);
    await tx.done;
    return record;
  }

  /**
   * Opens the direct conversation with the user who has this phone number, creating its MLS
   * group with every device of both users when nobody has yet. Answers the conversation's id.
   */
  async startChat(phoneNumber: string): Promise<string> {
    const found = await this.api.mutate(discoverContactsMutation, { phoneNumbers: [phoneNumber] });
    const user = (found.discoverContacts as ServerUser[])[0];
    if (!user) throw new NotOnParleyError(phoneNumber);
    const data = await this.api.mutate(startDirectConversationMutation, { userId: user.id });
    const conversation = data.startDirectConversation as ServerConversation;
    await this.saveConversation(conversation);
    await this.#events.run(() => bringDevicesIn(this, conversation));
    this.changed();
    void this.outbox.flush();
    return conversation.id;
  }

  async #addAwaitingDevices(): Promise<void> {
    try {
      await addAwaitingDevices(this);
    } catch (error) {
      console.warn('Parley: adding new devices failed; trying again later', error);
    }
  }
}

/** graphql-ws closes with 4403 when the server refuses the token, or revokes it live. */
const forbiddenCloseCode = 4403;

function isSignedOut(error: unknown): boolean {
  if (error instanceof ApiError) {
    return error.code === 'DEVICE_REVOKED' || error.code === 'UNAUTHENTICATED';
  }
  const cause = error instanceof CombinedError ? error.networkError : error;
  return (
    typeof cause === 'object' &&
    cause !== null &&
    'code' in cause &&
    cause.code === forbiddenCloseCode
  );
}

/** A close code and reason, when a WebSocket closing is the cause. */
function describeFailure(error: unknown): string {
  const cause =
    error instanceof CombinedError ? (error.networkError ?? error) : (error as object | null);
  if (cause && typeof cause === 'object' && 'code' in cause && 'reason' in cause) {
    return `socket closed with ${String(cause.code)} ${String(cause.reason)}`;
  }
  return String(cause);
}

export class NotOnParleyError extends Error {
  override readonly name = 'NotOnParleyError';
  constructor(readonly phoneNumber: string) {
    super(`${phoneNumber} is not on Parley yet.`);
  }
}

export function userRecord(user: ServerUser): UserRecord {
  return {
    id: user.id,
    displayName: user.displayName,
    phoneNumber: user.phoneNumber,
    about: user.about,
    ...(user.avatarRef && { avatarRef: user.avatarRef }),
  };
}
