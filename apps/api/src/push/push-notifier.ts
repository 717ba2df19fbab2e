// Server-only. Web Push for devices that have no live connection anywhere: when a message is
// stored, or a Welcome awaits a device, each such device that registered a subscription gets one
// push. The work runs in the background, after the operation that caused it has answered: a slow
// or failing push service never delays or fails a send. A device with a live connection gets
// nothing, since its event stream already carries everything.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Deps } from '../deps.js';
import type { Message, PushSubscription } from '../generated/prisma/client.ts';
import type { ConversationId, DeviceId } from '../ids.js';
import type { Logger } from '../logger.js';
import { BoundedQueue } from './bounded-queue.js';
import { messagePushPayload, wakePushPayload, type PushPayload } from './push-payload.js';
import { isRetryable, PushServiceError, sendPushRequest } from './push-request.js';
import type { VapidKeys } from './vapid-keys.js';

export type PushDeps = Pick<Deps, 'db' | 'store' | 'config' | 'limits' | 'log'>;

/** A day: a device away for longer catches up from its cursors when it connects. */
const ttlSeconds = 24 * 60 * 60;
const maxAttempts = 3;
const firstBackoffMs = 500;

export class PushNotifier {
  readonly #deps: PushDeps;
  readonly #vapid: VapidKeys & { readonly subject: string };
  readonly #queue: BoundedQueue;
  readonly #log: Logger;

  constructor(deps: PushDeps, keys: VapidKeys) {
    this.#deps = deps;
    this.#vapid = { ...keys, subject: deps.config.push.vapidSubject };
    this.#log = deps.log.child({ subsystem: 'push' });
    this.#queue = new BoundedQueue({
      concurrency: deps.limits.pushConcurrency,
      backlog: deps.limits.pushBacklog,
      onError: (error) => this.#log.error({ err: error }, 'push work failed'),
    });
  }

  /** What browsers subscribe with: PushManager.subscribe's `applicationServerKey`. */
  get vapidPublicKey(): string {
    return this.#vapid.publicKey;
  }

  /**
   * An application message was stored: push it to the other members' devices that are away.
   * This costs one query per message even where nobody registered a subscription; knowing
   * which conversations have subscribers, kept in the ephemeral store, would save it at scale.
   */
  messageStored(message: Message): void {
    if (message.kind !== 'APPLICATION') return;
    const conversationId = message.conversationId as ConversationId;
    this.#fanOut(conversationId, messagePushPayload(message), () =>
      this.#deps.db.prisma.pushSubscription.findMany({
        where: {
          device: {
            revokedAt: null,
            userId: { not: message.senderUserId },
            user: { members: { some: { conversationId, leftAt: null } } },
          },
        },
      }),
    );
  }

  /** A commit added devices to a group: wake those that are away, so that they join. */
  welcomeStored(
    conversationId: ConversationId,
    commitSeq: number,
    deviceIds: readonly DeviceId[],
  ): void {
    if (deviceIds.length === 0) return;
    this.#fanOut(conversationId, wakePushPayload(conversationId, commitSeq, 'welcome'), () =>
      this.#deps.db.prisma.pushSubscription.findMany({
        where: { deviceId: { in: [...deviceIds] }, device: { revokedAt: null } },
      }),
    );
  }

  /** Lets queued pushes go out for up to `graceMs`, then abandons the rest. */
  async close(graceMs: number): Promise<void> {
    const abandoned = await this.#queue.close(graceMs);
    if (abandoned > 0) this.#log.warn({ abandoned }, 'pushes abandoned at shutdown');
  }

  #fanOut(
    conversationId: ConversationId,
    payload: PushPayload,
    subscriptions: () => Promise<PushSubscription[]>,
  ): void {
    const accepted = this.#queue.add(async () => {
      const found = await subscriptions();
      if (found.length === 0) return;
      const connected = await this.#deps.store.connectedDevices(
        found.map((subscription) => subscription.deviceId as DeviceId),
      );
      for (const subscription of found) {
        if (connected.has(subscription.deviceId as DeviceId)) continue;
        const queued = this.#queue.add((signal) =>
          this.#deliver(subscription, conversationId, payload, signal),
        );
        if (!queued) this.#dropped({ subscriptionId: subscription.id });
      }
    });
    if (!accepted) this.#dropped({ conversationId, seq: payload.seq });
  }

  #dropped(about: Record<string, unknown>): void {
    if (this.#queue.signal.aborted) return;
    this.#log.warn(about, 'push dropped: the backlog is full');
  }

  /** One push to one subscription, tried again with backoff while the service is failing. */
  async #deliver(
    subscription: PushSubscription,
    conversationId: ConversationId,
    payload: PushPayload,
    signal: AbortSignal,
  ): Promise<void> {
    const subscriptionId = subscription.id;
    for (let attempt = 1; ; attempt++) {
      try {
        const status = await sendPushRequest(subscription, payload, {
          vapid: this.#vapid,
          ttlSeconds,
          topic: topicOf(subscriptionId, conversationId),
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.#deps.limits.pushTimeoutMs)]),
        });
        this.#log.debug({ subscriptionId, status }, 'push sent');
        return;
      } catch (error) {
        if (!(error instanceof PushServiceError)) throw error;
        const { failure, status } = error;
        if (failure === 'gone') {
          await this.#forget(subscription);
          this.#log.info({ subscriptionId, status }, 'push subscription gone: deleted');
          return;
        }
        if (!isRetryable(error) || attempt >= maxAttempts || signal.aborted) {
          this.#log.warn({ subscriptionId, status, failure, attempt }, 'push not delivered');
          return;
        }
      }

      // Full jitter: instances retrying against one failing service spread out.
      const delay = Math.random() * firstBackoffMs * 4 ** (attempt - 1);
      await sleep(delay, undefined, { signal }).catch(() => {});
      if (signal.aborted) return;
    }
  }

  /**
   * Deletes a subscription the service called gone, unless the device replaced it since. In
   * plain SQL, whose errors never quote parameters: the endpoint must not reach a log line.
   */
  async #forget(subscription: PushSubscription): Promise<void> {
    await this.#deps.db.sql.query(
      'DELETE FROM push_subscriptions WHERE id = $1::uuid AND endpoint = $2',
      [subscription.id, subscription.endpoint],
    );
  }
}

/**
 * The push service keeps only the newest undelivered push per topic (RFC 8030, section 5.4), so
 * a device that comes back gets one per conversation, not one per message. The topic is a hash
 * of the subscription and the conversation: the service cannot tell that two devices' pushes
 * are about the same conversation.
 */
function topicOf(subscriptionId: string, conversationId: ConversationId): string {
  return createHash('sha256')
    .update(`${subscriptionId}:${conversationId}`)
    .digest('base64url')
    .slice(0, 32);
}
