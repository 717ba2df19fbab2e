// Browser-only (page). What this device has written and the server has not stored yet. An entry
// is written to IndexedDB together with the message it shows, before anything is sent, so a
// message written offline or in a tab that closes goes out later, exactly once: its content id
// is the send's client message id, and the server answers a repeat with the first result.
//
// Content is encrypted when it goes out, not when it is written, so that a message written
// offline is encrypted for the group as it is when the network returns.
import {
  decodeContent,
  encodeContent,
  SerialQueue,
  toBase64,
  type MessageContent,
} from '@parley/crypto';

import { applyContent, historyTransaction } from '../shared/history.ts';
import type { OutboxRecord } from '../shared/local-database.ts';
import { isTransient } from './api.ts';
import { CryptoWorkerError } from './crypto-client.ts';
import { sendMessageMutation } from './operations.ts';
import { undoChange } from './undo-change.ts';
import type { ParleyEngine } from './parley-engine.ts';

const retryDelayMs = 3_000;
/** How long a message waits for its conversation's group to form before it counts as failed. */
const groupWaitMs = 120_000;

export class Outbox {
  readonly #engine: ParleyEngine;
  /** One flush at a time keeps the outbox's order on the wire. */
  readonly #queue = new SerialQueue();
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(engine: ParleyEngine) {
    this.#engine = engine;
  }

  /** Shows the content at once and queues it for sending. */
  async add(conversationId: string, content: MessageContent): Promise<void> {
    const { db, account } = this.#engine;
    const tx = historyTransaction(db, ['outbox']);
    const changes =
      content.type === 'reaction' || content.type === 'edit' || content.type === 'delete';
    const undo = changes
      ? await tx.objectStore('messages').get([conversationId, content.targetId])
      : undefined;
    await tx.objectStore('outbox').put({
      clientMessageId: content.id,
      conversationId,
      content: encodeContent(content),
      createdAt: Date.now(),
      ...(undo && { undo }),
    });
    await applyContent(
      tx,
      {
        conversationId,
        senderUserId: account.userId,
        senderDeviceId: account.deviceId,
        fromSelf: true,
      },
      content,
    );
    await tx.done;
    this.#engine.changed();
    void this.flush();
  }

  /** Sends a message the server refused once more, as "Retry" under it asks. */
  async retry(clientMessageId: string): Promise<void> {
    const db = this.#engine.db;
    const entry = await db.get('outbox', clientMessageId);
    if (!entry?.failed) return;
    const { failed: _, ...again } = entry;
    const tx = historyTransaction(db, ['outbox']);
    await tx.objectStore('outbox').put(again);
    const shown = await tx.objectStore('messages').get([entry.conversationId, clientMessageId]);
    if (shown) await tx.objectStore('messages').put({ ...shown, outgoing: 'pending' });
    await tx.done;
    this.#engine.changed();
    await this.flush();
  }

  stop(): void {
    clearTimeout(this.#retry);
  }

  /** Sends every entry in the order written; stops at the first that cannot go yet. */
  flush(): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#engine.connection !== 'online') return;
      const entries = await this.#engine.db.getAll('outbox');
      entries.sort((a, b) => a.createdAt - b.createdAt);
      // Order is kept within a conversation: one whose next message cannot go yet holds back
      // its later ones, and no other conversation's.
      const waiting = new Set<string>();
      for (const entry of entries) {
        if (entry.failed || waiting.has(entry.conversationId)) continue;
        const outcome = await this.#send(entry);
        if (outcome === 'later') waiting.add(entry.conversationId);
        if (outcome === 'offline') break;
      }
      if (waiting.size > 0) {
        // A group still forming, or the network gone with the stream still open: look again.
        clearTimeout(this.#retry);
        this.#retry = setTimeout(() => void this.flush(), retryDelayMs);
      }
    });
  }

  async #send(entry: OutboxRecord): Promise<'sent' | 'failed' | 'later' | 'offline'> {
    const engine = this.#engine;
    let ciphertext: Uint8Array | undefined;
    try {
      ({ ciphertext } = await engine.crypto.call('encrypt', {
        conversationId: entry.conversationId,
        content: entry.content,
      }));
    } catch (error) {
      if (!(error instanceof CryptoWorkerError)) throw error;
      // No group yet: a new chat whose first commit is on its way, for a while. Past that, or
      // any other refusal by the crypto layer, the message cannot go and is marked failed.
      const young = Date.now() - entry.createdAt < groupWaitMs;
      if (error.code === 'NOT_A_MEMBER' && young) return 'later';
      console.warn('Parley: a message could not be encrypted', error.code ?? error.message);
    }

    let seq: number | undefined;
    if (ciphertext) {
      try {
        const data = await engine.api.mutate(sendMessageMutation, {
          conversationId: entry.conversationId,
          clientMessageId: entry.clientMessageId,
          ciphertext: toBase64(ciphertext),
        });
        seq = data.sendMessage.message.seq as number;
      } catch (error) {
        if (isTransient(error)) return 'offline';
        console.warn('Parley: the server refused a message', error);
      }
    }

    const content = decodeContent(entry.content);
    const tx = historyTransaction(engine.db, ['outbox']);
    const messages = tx.objectStore('messages');
    if (seq === undefined && entry.undo) {
      // A change to a message that did not go out: what it changed is shown as it was again,
      // keeping whatever others did to the message since.
      const now = await messages.get([entry.conversationId, entry.undo.id]);
      if (now) await messages.put(undoChange(now, entry.undo, content, engine.account.userId));
      await tx.objectStore('outbox').delete(entry.clientMessageId);
    } else if (seq === undefined) {
      await tx.objectStore('outbox').put({ ...entry, failed: true });
    } else {
      await tx.objectStore('outbox').delete(entry.clientMessageId);
    }
    const shown = await messages.get([entry.conversationId, content.id]);
    if (shown) {
      await messages.put(
        seq === undefined
          ? { ...shown, outgoing: 'failed' }
          : { ...shown, seq, order: seq, outgoing: 'sent' },
      );
    }
    const conversations = tx.objectStore('conversations');
    const conversation = await conversations.get(entry.conversationId);
    if (conversation?.lastMessage?.id === content.id && seq !== undefined) {
      await conversations.put({
        ...conversation,
        lastMessage: { ...conversation.lastMessage, seq },
        readUpTo: Math.max(conversation.readUpTo, seq),
      });
    }
    await tx.done;
    engine.changed();
    return seq === undefined ? 'failed' : 'sent';
  }
}
