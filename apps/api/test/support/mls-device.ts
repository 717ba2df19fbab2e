// Test-only. A Parley device with end-to-end encryption, driving the public API the way a real
// client does: it registers its key, publishes key packages, keeps one MLS group per
// conversation, and processes its event stream in order. Tests assert on what it decrypted.
import {
  DeviceKeys,
  Group,
  groupIdOf,
  isCryptoError,
  newContentId,
  type AuthenticationPolicy,
  type MessageContent,
  type PendingCommit,
  type Received,
} from '@parley/crypto';

import { encodeSeqCursor } from '../../src/messaging/cursors.js';
import type { ParleyServer } from '../../src/server.js';
import { gql, ok, subscribe, type Account, type Subscriber } from './harness.js';
import {
  claimMutation,
  registerKeyMutation,
  submitCommitMutation,
  uploadMutation,
} from './mls-operations.js';

export const mlsEventsSubscription = `
  subscription($cursors: [ConversationCursorInput!]) {
    events(cursors: $cursors) {
      __typename
      ... on MessageEvent {
        conversationId
        message { id seq kind epoch clientMessageId ciphertext senderDeviceId sender { id } }
      }
      ... on WelcomeEvent { conversationId welcome commitSeq epoch }
      ... on ConversationEvent { conversationId change users { id } }
      ... on CaughtUpEvent { at }
    }
  }`;

export type LogEntry = {
  seq: number;
  kind: 'APPLICATION' | 'COMMIT';
  ciphertext: string;
  senderDeviceId: string;
};

/** What this device made of one message of a conversation's log. */
export type Outcome =
  | { seq: number; type: 'received'; received: Received }
  | { seq: number; type: 'own' }
  | { seq: number; type: 'before-join' }
  | { seq: number; type: 'failed'; code: string };

export class StaleEpochError extends Error {
  constructor(readonly currentEpoch: number) {
    super(`stale epoch; the group is in ${currentEpoch}`);
  }
}

export class MlsDevice {
  readonly groups = new Map<string, Group>();
  /** Per conversation, the last seq this device has processed. */
  readonly position = new Map<string, number>();
  readonly outcomes = new Map<string, Outcome[]>();
  readonly #directory = new Map<string, Uint8Array>();
  #queue: Promise<unknown> = Promise.resolve();
  subscriber: Subscriber | undefined;

  private constructor(
    readonly server: ParleyServer,
    readonly account: Account,
    readonly keys: DeviceKeys,
  ) {}

  /** Signs the device up for encryption: key in the directory, key packages on the server. */
  static async create(server: ParleyServer, account: Account, keyPackages = 5) {
    const keys = await DeviceKeys.create({ userId: account.userId, deviceId: account.deviceId });
    const device = new MlsDevice(server, account, keys);
    await device.request(registerKeyMutation, { k: b64(keys.identity.signaturePublicKey) });
    await device.uploadKeyPackages(keyPackages, true);
    return device;
  }

  get policy(): AuthenticationPolicy {
    return {
      directory: {
        signatureKey: async ({ userId, deviceId }) => {
          const cached = this.#directory.get(`${userId}/${deviceId}`);
          if (cached) return cached;
          const data = await this.request<{
            user: { deviceKeys: { deviceId: string; signatureKey: string }[] } | null;
          }>('query($u: ID!) { user(id: $u) { deviceKeys { deviceId signatureKey } } }', {
            u: userId,
          });
          for (const entry of data.user?.deviceKeys ?? []) {
            const key = Buffer.from(entry.signatureKey, 'base64');
            this.#directory.set(`${userId}/${entry.deviceId}`, key);
          }
          return this.#directory.get(`${userId}/${deviceId}`);
        },
      },
    };
  }

  request<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) {
    return ok<T>(this.server, query, variables, this.account.token);
  }

  async uploadKeyPackages(count: number, lastResort = false) {
    const packages = await this.keys.createKeyPackages(count);
    const last = lastResort ? await this.keys.createLastResortKeyPackage() : undefined;
    return this.request(uploadMutation, { p: packages.map(b64), l: last ? b64(last) : null });
  }

  /** Claims key packages for every other device of these users. */
  async claim(userIds: readonly string[], deviceIds?: readonly string[]): Promise<Uint8Array[]> {
    const found: Uint8Array[] = [];
    for (const userId of userIds) {
      const data = await this.request<{
        claimKeyPackages: { keyPackages: { keyPackage: string }[] };
      }>(claimMutation, { u: userId, d: deviceIds ?? null });
      for (const claimed of data.claimKeyPackages.keyPackages) {
        found.push(Buffer.from(claimed.keyPackage, 'base64'));
      }
    }
    return found;
  }

  /** Creates the conversation's MLS group and adds every device of these users. */
  async createGroup(conversationId: string, userIds: readonly string[]): Promise<void> {
    const group = await Group.create(this.keys, groupIdOf(conversationId), this.policy);
    this.groups.set(conversationId, group);
    this.position.set(conversationId, 0);
    const packages = await this.claim([...userIds, this.account.userId]);
    await this.commit(conversationId, () => group.add(packages, this.policy));
  }

  /** Makes a commit and submits it, catching up and making it again when it was stale. */
  async commit(conversationId: string, make: () => Promise<PendingCommit>): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const pending = await make();
      try {
        return await this.submit(conversationId, pending);
      } catch (error) {
        if (!(error instanceof StaleEpochError)) throw error;
        await this.catchUp(conversationId);
      }
    }
    throw new Error('the commit stayed stale after five attempts');
  }

  /** Submits a commit once; applies it locally only when the server accepted it. */
  async submit(conversationId: string, pending: PendingCommit): Promise<number> {
    const result = await gql<{ submitCommit: { epoch: number; message: { seq: number } } }>(
      this.server,
      submitCommitMutation,
      {
        c: conversationId,
        id: crypto.randomUUID(),
        commit: b64(pending.commit),
        w: pending.welcome ? b64(pending.welcome) : null,
        a: pending.added.map((d) => d.deviceId),
        r: pending.removed.map((d) => d.deviceId),
      },
      this.account.token,
    );
    const error = result.errors?.[0];
    if (error?.extensions?.code === 'STALE_EPOCH') {
      throw new StaleEpochError(error.extensions.currentEpoch as number);
    }
    if (error || !result.data) throw new Error(`commit refused: ${JSON.stringify(result.errors)}`);
    await this.groups.get(conversationId)!.applyCommit(pending);
    const seq = result.data.submitCommit.message.seq;
    this.#advance(conversationId, seq);
    return seq;
  }

  async sendText(conversationId: string, body: string): Promise<number> {
    return this.sendContent(conversationId, {
      type: 'text',
      id: newContentId(),
      sentAt: Date.now(),
      body,
    });
  }

  async sendContent(conversationId: string, content: MessageContent): Promise<number> {
    const group = this.groups.get(conversationId);
    if (!group) throw new Error(`no group for ${conversationId}`);
    const ciphertext = await group.send(content);
    const data = await this.request<{ sendMessage: { message: { seq: number } } }>(
      `mutation($c: ID!, $id: String!, $b: Bytes!) {
        sendMessage(input: { conversationId: $c, clientMessageId: $id, ciphertext: $b }) {
          message { seq }
        }
      }`,
      { c: conversationId, id: content.id, b: b64(ciphertext) },
    );
    return data.sendMessage.message.seq;
  }

  /** Opens the device's event stream and processes every event in arrival order. */
  async listen(cursors?: { conversationId: string; seq: number }[]): Promise<Subscriber> {
    this.subscriber = await subscribe(this.server, this.account.token, cursors, {
      query: mlsEventsSubscription,
      onEvent: (event) => {
        this.#queue = this.#queue.then(() => this.#handle(event));
      },
    });
    await this.settled();
    return this.subscriber;
  }

  /** Waits until every event received so far has been processed. */
  async settled(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = this.#queue;
      await tail;
    } while (tail !== this.#queue);
  }

  /** Processes what the log holds after this device's position, from the history query. */
  async catchUp(conversationId: string): Promise<void> {
    await this.settled();
    for (;;) {
      const after = this.position.get(conversationId) ?? 0;
      const data = await this.request<{
        conversation: { messages: { edges: { node: LogEntry }[]; pageInfo: any } };
      }>(
        `query($c: ID!, $after: String) {
          conversation(id: $c) {
            messages(first: 50, after: $after) {
              edges { node { seq kind ciphertext senderDeviceId } }
              pageInfo { hasNextPage }
            }
          }
        }`,
        { c: conversationId, after: after > 0 ? encodeSeqCursor(after) : null },
      );
      for (const { node } of data.conversation.messages.edges) {
        await this.process(conversationId, node);
      }
      if (!data.conversation.messages.pageInfo.hasNextPage) return;
    }
  }

  /** Processes one entry of a conversation's log, once, in order. */
  async process(conversationId: string, entry: LogEntry): Promise<Outcome | undefined> {
    const at = this.position.get(conversationId);
    const group = this.groups.get(conversationId);
    if (at !== undefined && entry.seq <= at) return undefined;
    let outcome: Outcome;
    if (!group) {
      outcome = { seq: entry.seq, type: 'before-join' };
    } else if (entry.senderDeviceId === this.account.deviceId) {
      // This device's own messages and commits: it already knows them (MLS cannot decrypt what
      // the same leaf sent), and its commits were applied when the server accepted them.
      outcome = { seq: entry.seq, type: 'own' };
    } else {
      try {
        const received = await group.receive(Buffer.from(entry.ciphertext, 'base64'));
        outcome = { seq: entry.seq, type: 'received', received };
      } catch (error) {
        if (!isCryptoError(error)) throw error;
        outcome = { seq: entry.seq, type: 'failed', code: error.code };
      }
    }
    if (group) this.#advance(conversationId, entry.seq);
    const list = this.outcomes.get(conversationId) ?? [];
    list.push(outcome);
    this.outcomes.set(conversationId, list);
    return outcome;
  }

  /** The bodies of text messages this device decrypted in a conversation, in order. */
  texts(conversationId: string): string[] {
    return (this.outcomes.get(conversationId) ?? []).flatMap((outcome) =>
      outcome.type === 'received' &&
      outcome.received.type === 'application' &&
      outcome.received.content.type === 'text'
        ? [outcome.received.content.body]
        : [],
    );
  }

  failures(conversationId: string): string[] {
    return (this.outcomes.get(conversationId) ?? []).flatMap((outcome) =>
      outcome.type === 'failed' ? [outcome.code] : [],
    );
  }

  /** Waits until the device has processed up to `seq` of a conversation. */
  async waitForSeq(conversationId: string, seq: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.settled();
      if ((this.position.get(conversationId) ?? 0) >= seq) return;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for seq ${seq} of ${conversationId}; ` +
            `at ${this.position.get(conversationId)}; ` +
            `errors ${JSON.stringify(this.subscriber?.errors)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async #handle(event: Record<string, any>): Promise<void> {
    switch (event.__typename) {
      case 'WelcomeEvent': {
        if (this.groups.has(event.conversationId)) return;
        const group = await Group.join(
          this.keys,
          Buffer.from(event.welcome as string, 'base64'),
          this.policy,
        );
        this.groups.set(event.conversationId, group);
        this.position.set(event.conversationId, event.commitSeq as number);
        return;
      }
      case 'MessageEvent':
        await this.process(event.conversationId, {
          ...event.message,
        } as LogEntry);
        return;
      default:
        return;
    }
  }

  #advance(conversationId: string, seq: number): void {
    this.position.set(conversationId, Math.max(this.position.get(conversationId) ?? 0, seq));
  }

  async close(): Promise<void> {
    await this.subscriber?.dispose();
    await this.settled();
  }
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
