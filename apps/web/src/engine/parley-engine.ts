// Browser-only (page). This browser as a Parley device: it keeps the event stream open, hands
// every message to the crypto worker in log order, sends what the outbox holds, answers with
// receipts, and tells the screens when something changed. What the screens show is read from
// IndexedDB (view-store.ts), so a reload or an offline start shows the same thing.
import { SerialQueue, toBase64 } from '@parley/crypto';
import { pipe, subscribe } from 'wonka';

import { openLocalDatabase, type Account, type LocalDatabase } from '../shared/local-database.ts';
import { Api } from './api.ts';
import { refreshConversation, refreshConversations } from './conversation-sync.ts';
import { describeFailure, isSignedOut } from './connection-failure.ts';
import { CryptoClient } from './crypto-client.ts';
import { parseDeviceEvent, type DeviceEvent } from './device-event.ts';
import { addAwaitingDevices } from './group-membership.ts';
import { ApiError, createApiClients, type ApiClients } from './graphql-client.ts';
import { refillKeyPackages } from './key-package-stock.ts';
import { eventsSubscription, registerDeviceKeyMutation, setTypingMutation } from './operations.ts';
import { Outbox } from './outbox.ts';
import { Receipts } from './receipts.ts';

export type ConnectionState = 'connecting' | 'online' | 'offline';

export type Presence = { readonly online: boolean | null; readonly lastSeenAt: number | null };

type MessageEvent = DeviceEvent & { readonly type: 'message' };

/** The most messages handed to the crypto worker at once. */
const maxBatch = 200;
/** At most this often, the screens are told to read what changed. */
const notifyIntervalMs = 50;

export class ParleyEngine {
  readonly account: Account;
  readonly db: LocalDatabase;
  readonly crypto: CryptoClient;
  readonly api: Api;
  readonly outbox: Outbox;
  readonly receipts: Receipts;
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
  #awaitingTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #stopped = false;
  #version = 0;
  /** Events received and not yet handled, oldest first. */
  readonly #inbox: DeviceEvent[] = [];
  #notifyTimer: ReturnType<typeof setTimeout> | undefined;

  private constructor(account: Account, db: LocalDatabase, crypto: CryptoClient) {
    this.account = account;
    this.db = db;
    this.crypto = crypto;
    this.#clients = createApiClients(account.token);
    this.api = new Api(this.#clients.client);
    this.outbox = new Outbox(this);
    this.receipts = new Receipts(this);
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
    engine.#checkAwaitingLater();
    window.addEventListener('online', engine.#reconnectNow);
    document.addEventListener('visibilitychange', engine.#visibilityChanged);
    return engine;
  }

  get version(): number {
    return this.#version;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * Runs work in the event queue, between two events: a commit made and applied by this device
   * must not interleave with the processing of the log it is part of.
   */
  inEventOrder<T>(work: () => Promise<T>): Promise<T> {
    return this.#events.run(work);
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

  /** This device was signed out (from here): stop, and let the app erase what it holds. */
  signedOut(): void {
    if (this.#stopped) return;
    this.stop();
    this.onSignedOut?.();
  }

  stop(): void {
    this.#stopped = true;
    this.#stream?.unsubscribe();
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#awaitingTimer);
    this.receipts.stop();
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
      let cursors: { conversationId: string; seq: number }[];
      try {
        await this.#prepare();
        cursors = await this.crypto.call('cursors', {});
      } catch (error) {
        this.#lost(error);
        return;
      }
      const source = this.#clients.client.subscription(eventsSubscription, { cursors });
      this.#stream = pipe(
        source,
        subscribe((result) => {
          if (result.error) {
            this.#lost(result.error.networkError ? result.error : ApiError.from(result.error));
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
    await refreshConversations(this);
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
      this.signedOut();
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
      void this.receipts.markRead(this.openConversationId);
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
        await refreshConversation(this, event.conversationId);
        return;
      case 'message':
        await this.#receive([event]);
        return;
      case 'receipt':
        await this.receipts.moved(event.conversationId, event.userId, event.readUpTo);
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
        // Removed, or left from another device: the group is of no more use, and a cursor for
        // it would make the server refuse the whole event stream on the next connect.
        if (event.change === 'MEMBER_REMOVED' && event.userIds.includes(this.account.userId)) {
          await this.crypto.call('forget', { conversationId: event.conversationId });
        }
        await refreshConversation(this, event.conversationId);
        return;
      case 'key_packages_low':
        await this.refillKeyPackages();
        return;
      case 'caught_up':
        this.#failures = 0;
        this.connection = 'online';
        this.changed();
        await this.receipts.flush();
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
        clientMessageId: message.clientMessageId,
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
        this.receipts.received(conversationId, message.seq);
      }
      if (result.type === 'processed' && result.change.arrived) {
        this.typing.get(conversationId)?.delete(message.senderUserId);
      }
      if (result.type === 'commit' && result.removedSelf) {
        await refreshConversation(this, conversationId);
      }
    }
    this.changed();
  }

  // --- What the screens ask for -----------------------------------------------------------

  markRead(conversationId: string): Promise<void> {
    return this.receipts.markRead(conversationId);
  }

  async setTyping(conversationId: string, typing: boolean): Promise<void> {
    if (this.connection !== 'online') return;
    try {
      await this.api.mutate(setTypingMutation, { conversationId, typing });
    } catch {
      // Typing is a hint: losing one is not worth a retry.
    }
  }

  refillKeyPackages(): Promise<void> {
    return refillKeyPackages(this);
  }

  // No event says that a member signed in on a new device, so the list is checked now and then,
  // and on every reconnect. Every member's devices do this, and only one commit can win each
  // time: the jitter spreads them out, so that most find the new device already added.
  #checkAwaitingLater(): void {
    const delay = 8_000 + Math.random() * 8_000;
    this.#awaitingTimer = setTimeout(() => {
      if (this.connection === 'online') {
        void this.#events.run(() => this.#addAwaitingDevices());
      }
      if (!this.#stopped) this.#checkAwaitingLater();
    }, delay);
  }

  async #addAwaitingDevices(): Promise<void> {
    try {
      await addAwaitingDevices(this);
    } catch (error) {
      console.warn('Parley: adding new devices failed; trying again later', error);
    }
  }
}
