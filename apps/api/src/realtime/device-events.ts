// Server-only. The one subscription a device holds. Given the device's cursors, it replays what
// the device missed from the database, then continues with live events from the bus, with no gap
// and no duplicate within a conversation:
//
//   1. subscribe to the bus first, buffering, so nothing published during the replay is lost;
//   2. replay each conversation from its cursor, in seq order;
//   3. drain the buffer and go live, dropping messages at or below the conversation's position,
//      and filling from the database any gap the bus left (Redis drops while disconnected, and
//      two instances may publish seq N+1 before seq N).
//
// Authorization is checked at the start and again on every event: a member who is removed stops
// receiving at once, and a revoked device's stream ends with DEVICE_REVOKED.
import {
  conversationChannel,
  userChannel,
  type BusEvent,
  type Channel,
  type ConversationEvent,
  type MessageEvent,
  type PresenceEvent,
  type ReceiptEvent,
  type KeyPackagesLowEvent,
  type TypingEvent,
} from '../bus/events.js';
import type { Deps } from '../deps.js';
import type { Member, User } from '../generated/prisma/client.ts';
import { ParleyError } from '../errors.js';
import type { ConversationId, UserId } from '../ids.js';
import { mayView, type PresenceSubject } from '../identity/profiles.js';
import { messagesAfter, toMessageEvent } from '../messaging/messages.js';
import type { Viewer } from '../viewer.js';
import { closed, Inbox, InboxOverflowError } from './inbox.js';
import { pendingWelcomes, toDeviceWelcome, type DeviceWelcomeEvent } from './welcomes.js';

export type { DeviceWelcomeEvent };

/** Marks the end of the replay: from here on, events are live. Sent once per subscription. */
export type CaughtUpEvent = { readonly type: 'caught_up'; readonly at: string };

export type DeviceEvent =
  | MessageEvent
  | ReceiptEvent
  | TypingEvent
  | PresenceEvent
  | ConversationEvent
  | DeviceWelcomeEvent
  | KeyPackagesLowEvent
  | CaughtUpEvent;

export type ConversationCursor = { conversationId: ConversationId; seq: number };

type Delivery = { channel: Channel; event: BusEvent };

const inboxCapacity = 10_000;

/**
 * Opens a device's event stream. Everything that can refuse the subscription (a revoked device,
 * a cursor for a foreign conversation) is checked here, before the first event, so that the
 * client gets a typed error instead of a stream.
 */
export async function openDeviceEvents(
  deps: Deps,
  viewer: Viewer,
  cursors: readonly ConversationCursor[],
): Promise<AsyncIterableIterator<DeviceEvent>> {
  const inbox = new Inbox<Delivery>(inboxCapacity);
  const channels = new ChannelSubscriptions(deps, inbox);
  let start: StreamStart;
  try {
    start = await prepare(deps, viewer, cursors, channels);
  } catch (error) {
    channels.closeAll();
    throw error;
  }
  const stream = run(deps, viewer, start, inbox, channels);
  const iterator: AsyncIterableIterator<DeviceEvent> = {
    next: async () => {
      try {
        return await stream.next();
      } catch (error) {
        throw maskStreamError(deps, viewer, error);
      }
    },
    return: async (value?: unknown) => {
      inbox.close();
      return stream.return(value as undefined);
    },
    throw: async (error?: unknown) => {
      inbox.close();
      return stream.throw(error);
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}

function maskStreamError(deps: Deps, viewer: Viewer, error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  if (error instanceof InboxOverflowError) {
    return new ParleyError(
      'SUBSCRIBER_TOO_SLOW',
      'Events piled up unread: resubscribe with your cursors.',
    );
  }
  deps.log.error({ err: error, deviceId: viewer.deviceId }, 'device event stream failed');
  return new ParleyError(
    'INTERNAL_SERVER_ERROR',
    'Unexpected error: resubscribe with your cursors.',
  );
}

/** The bus channels one stream listens to; each is subscribed before its state is read. */
class ChannelSubscriptions {
  readonly #unsubscribers = new Map<Channel, () => void>();
  readonly #deps: Deps;
  readonly #inbox: Inbox<Delivery>;

  constructor(deps: Deps, inbox: Inbox<Delivery>) {
    this.#deps = deps;
    this.#inbox = inbox;
  }

  async add(channel: Channel): Promise<void> {
    if (this.#unsubscribers.has(channel)) return;
    this.#unsubscribers.set(channel, () => {});
    const inbox = this.#inbox;
    const unsubscribe = await this.#deps.bus.subscribe(channel, (event) =>
      inbox.push({ channel, event }),
    );
    if (this.#unsubscribers.has(channel)) this.#unsubscribers.set(channel, unsubscribe);
    else unsubscribe();
  }

  remove(channel: Channel): void {
    this.#unsubscribers.get(channel)?.();
    this.#unsubscribers.delete(channel);
  }

  closeAll(): void {
    for (const channel of [...this.#unsubscribers.keys()]) this.remove(channel);
  }
}

type StreamStart = {
  readonly joined: Map<ConversationId, Member>;
  readonly position: Map<ConversationId, number>;
  /** The newest Welcome per conversation that this device has not shown it processed. */
  readonly welcomes: Map<ConversationId, DeviceWelcomeEvent>;
  /** The viewer's own settings as the subscription started, for privacy decisions. */
  readonly self: User;
};

async function prepare(
  deps: Deps,
  viewer: Viewer,
  cursors: readonly ConversationCursor[],
  channels: ChannelSubscriptions,
): Promise<StreamStart> {
  const { prisma } = deps.db;

  // Subscribe, then read state: whatever happens after this point reaches the inbox.
  await channels.add(userChannel(viewer.userId));
  const [device, memberships, self, groupDevices, welcomeRows] = await Promise.all([
    prisma.device.findUniqueOrThrow({ where: { id: viewer.deviceId } }),
    prisma.member.findMany({ where: { userId: viewer.userId, leftAt: null } }),
    prisma.user.findUniqueOrThrow({ where: { id: viewer.userId } }),
    prisma.groupDevice.findMany({ where: { deviceId: viewer.deviceId, removedSeq: null } }),
    prisma.welcomeRecipient.findMany({
      where: { deviceId: viewer.deviceId },
      include: { welcome: true },
    }),
  ]);
  if (device.revokedAt) throw new ParleyError('DEVICE_REVOKED', 'This device was signed out.');

  const joined = new Map(memberships.map((m) => [m.conversationId as ConversationId, m]));
  for (const cursor of cursors) {
    if (!joined.has(cursor.conversationId)) {
      throw new ParleyError('NOT_A_MEMBER', 'A cursor names a conversation you are not in.', {
        conversationId: cursor.conversationId,
      });
    }
  }
  await Promise.all([...joined.keys()].map((id) => channels.add(conversationChannel(id))));

  // Where each conversation stands for this device. Without a cursor, the device has seen
  // nothing from before it existed, nor from before a commit added it to the conversation's MLS
  // group (it could decrypt neither), and everything since.
  const position = new Map<ConversationId, number>();
  const given = new Map(cursors.map((cursor) => [cursor.conversationId, cursor.seq]));
  const addedAt = new Map(groupDevices.map((g) => [g.conversationId, g.addedSeq]));
  for (const [conversationId, member] of joined) {
    const floor = Math.max(member.joinedSeq, addedAt.get(conversationId as string) ?? 0);
    position.set(
      conversationId,
      given.get(conversationId) ?? (await seqBefore(deps, conversationId, device.createdAt, floor)),
    );
  }

  const welcomes = await pendingWelcomes(deps, viewer, welcomeRows, joined, given);
  return { joined, position, welcomes, self };
}

async function* run(
  deps: Deps,
  viewer: Viewer,
  start: StreamStart,
  inbox: Inbox<Delivery>,
  channels: ChannelSubscriptions,
): AsyncGenerator<DeviceEvent> {
  const { prisma } = deps.db;
  const { joined, position } = start;

  try {
    // Replay what the device missed, conversation by conversation, each Welcome first.
    for (const conversationId of joined.keys()) {
      const welcome = start.welcomes.get(conversationId);
      if (welcome) {
        position.set(
          conversationId,
          Math.max(position.get(conversationId) ?? 0, welcome.commitSeq),
        );
        yield welcome;
      }
      yield* replay(deps, conversationId, position, Number.MAX_SAFE_INTEGER);
    }
    yield { type: 'caught_up', at: new Date().toISOString() };

    // Then live events, checked against membership one by one.
    const peerVisibility = new Map<UserId, Promise<{ online: boolean; lastSeen: boolean }>>();
    for (;;) {
      const delivery = await inbox.take();
      if (delivery === closed) return;
      const { channel, event } = delivery;

      switch (event.type) {
        case 'message': {
          if (!joined.has(event.conversationId)) break;
          const at = position.get(event.conversationId) ?? 0;
          if (event.seq <= at) break;
          if (event.seq > at + 1) {
            yield* replay(deps, event.conversationId, position, event.seq);
            break;
          }
          position.set(event.conversationId, event.seq);
          yield event;
          break;
        }
        case 'receipt': {
          if (!joined.has(event.conversationId)) break;
          const hideRead = !start.self.readReceipts && event.userId !== viewer.userId;
          yield hideRead ? { ...event, readSeq: null } : event;
          break;
        }
        case 'typing': {
          if (joined.has(event.conversationId) && event.userId !== viewer.userId) yield event;
          break;
        }
        case 'presence': {
          if (!joined.has(event.conversationId) || event.userId === viewer.userId) break;
          let visibility = peerVisibility.get(event.userId);
          if (!visibility) {
            visibility = presenceVisibility(deps, start.self, event.userId);
            peerVisibility.set(event.userId, visibility);
          }
          const { online, lastSeen } = await visibility;
          if (online || lastSeen) {
            yield {
              ...event,
              online: online && event.online,
              lastSeenAt: lastSeen ? event.lastSeenAt : null,
            };
          }
          break;
        }
        case 'conversation': {
          const aboutViewer = event.userIds.includes(viewer.userId);
          const fromUserChannel = channel.startsWith('u:');
          // Events about this user arrive on its own channel; others on the conversation's.
          if (aboutViewer !== fromUserChannel) break;
          if (!aboutViewer) {
            if (joined.has(event.conversationId)) yield event;
            break;
          }
          if (event.change === 'MEMBER_REMOVED') {
            joined.delete(event.conversationId);
            position.delete(event.conversationId);
            channels.remove(conversationChannel(event.conversationId));
            yield event;
            break;
          }
          if (event.change === 'CREATED' || event.change === 'MEMBER_ADDED') {
            const member = await prisma.member.findUnique({
              where: {
                conversationId_userId: {
                  conversationId: event.conversationId,
                  userId: viewer.userId,
                },
              },
            });
            if (!member || member.leftAt || joined.has(event.conversationId)) break;
            joined.set(event.conversationId, member);
            position.set(event.conversationId, member.joinedSeq);
            await channels.add(conversationChannel(event.conversationId));
            yield event;
            yield* replay(deps, event.conversationId, position, Number.MAX_SAFE_INTEGER);
            break;
          }
          yield event;
          break;
        }
        case 'welcome': {
          if (!event.deviceIds.includes(viewer.deviceId)) break;
          const row = await prisma.welcome.findUnique({ where: { id: event.welcomeId } });
          if (!row) break;
          if (joined.has(event.conversationId)) {
            const at = position.get(event.conversationId) ?? 0;
            position.set(event.conversationId, Math.max(at, event.commitSeq));
          }
          yield toDeviceWelcome(row);
          break;
        }
        case 'key_packages_low': {
          if (event.deviceId === viewer.deviceId) yield event;
          break;
        }
        case 'device_revoked': {
          if (event.deviceId === viewer.deviceId) {
            throw new ParleyError('DEVICE_REVOKED', 'This device was signed out.');
          }
          break;
        }
        default: {
          const unknown: never = event;
          deps.log.warn({ event: unknown }, 'unhandled bus event');
        }
      }
    }
  } finally {
    channels.closeAll();
  }
}

/** Yields stored messages after the conversation's position, up to and including `until`. */
async function* replay(
  deps: Deps,
  conversationId: ConversationId,
  position: Map<ConversationId, number>,
  until: number,
): AsyncGenerator<MessageEvent> {
  for (;;) {
    const from = position.get(conversationId) ?? 0;
    if (from >= until) return;
    const batch = await messagesAfter(deps, conversationId, from, deps.limits.replayBatch);
    for (const message of batch) {
      if (message.seq > until) return;
      position.set(conversationId, message.seq);
      yield toMessageEvent(message);
    }
    if (batch.length < deps.limits.replayBatch) return;
  }
}

async function seqBefore(
  deps: Deps,
  conversationId: ConversationId,
  time: Date,
  floor: number,
): Promise<number> {
  const latest = await deps.db.prisma.message.findFirst({
    where: { conversationId, createdAt: { lt: time } },
    orderBy: { seq: 'desc' },
    select: { seq: true },
  });
  return Math.max(latest?.seq ?? 0, floor);
}

async function presenceVisibility(deps: Deps, self: PresenceSubject, peerId: UserId) {
  const peer = await deps.db.prisma.user.findUnique({ where: { id: peerId } });
  if (!peer) return { online: false, lastSeen: false };
  const [online, lastSeen] = await Promise.all([
    mayView(deps, self, peer, 'online'),
    mayView(deps, self, peer, 'lastSeen'),
  ]);
  return { online, lastSeen };
}
