// Shared by every API instance. The events that travel between instances on the bus: a readonly
// union told apart by `type`, validated when it arrives from Redis before anything reads it.
import { z } from 'zod';

import type { ConversationId, DeviceId, UserId } from '../ids.js';

export type MessageEvent = {
  readonly type: 'message';
  readonly conversationId: ConversationId;
  readonly messageId: string;
  readonly seq: number;
  readonly senderUserId: UserId;
  readonly senderDeviceId: DeviceId;
  readonly clientMessageId: string;
  /** Base64 of the ciphertext, as the GraphQL `Bytes` scalar carries it. */
  readonly ciphertext: string;
  readonly createdAt: string;
  readonly kind: 'APPLICATION' | 'COMMIT';
  /** For commits: the epoch the commit was made in. */
  readonly epoch: number | null;
};

export type ReceiptEvent = {
  readonly type: 'receipt';
  readonly conversationId: ConversationId;
  readonly userId: UserId;
  readonly deliveredSeq: number;
  /** Absent when the member has read receipts turned off. */
  readonly readSeq: number | null;
};

export type TypingEvent = {
  readonly type: 'typing';
  readonly conversationId: ConversationId;
  readonly userId: UserId;
  readonly typing: boolean;
  readonly expiresAt: string;
};

export type PresenceEvent = {
  readonly type: 'presence';
  readonly conversationId: ConversationId;
  readonly userId: UserId;
  readonly online: boolean;
  readonly lastSeenAt: string | null;
};

export type ConversationChange = 'CREATED' | 'MEMBER_ADDED' | 'MEMBER_REMOVED' | 'UPDATED';

export type ConversationEvent = {
  readonly type: 'conversation';
  readonly conversationId: ConversationId;
  readonly change: ConversationChange;
  /** The members that the change is about (added or removed); empty for other changes. */
  readonly userIds: readonly UserId[];
};

export type DeviceRevokedEvent = {
  readonly type: 'device_revoked';
  readonly userId: UserId;
  readonly deviceId: DeviceId;
};

/**
 * A commit added these devices: each fetches the Welcome by id. The bytes stay out of the event,
 * because only the added devices need them and a large group's Welcome is large.
 */
export type WelcomeEvent = {
  readonly type: 'welcome';
  readonly conversationId: ConversationId;
  readonly welcomeId: string;
  readonly deviceIds: readonly DeviceId[];
  readonly commitSeq: number;
  /** The epoch the Welcome joins the devices into. */
  readonly epoch: number;
};

/** A device's one-time key packages are running out: it should upload more. */
export type KeyPackagesLowEvent = {
  readonly type: 'key_packages_low';
  readonly userId: UserId;
  readonly deviceId: DeviceId;
  readonly available: number;
};

export type BusEvent =
  | MessageEvent
  | WelcomeEvent
  | KeyPackagesLowEvent
  | ReceiptEvent
  | TypingEvent
  | PresenceEvent
  | ConversationEvent
  | DeviceRevokedEvent;

const uuid = z.uuid();
const timestamp = z.iso.datetime();
const seq = z.number().int().min(0);

const busEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    conversationId: uuid,
    messageId: uuid,
    seq: seq.min(1),
    senderUserId: uuid,
    senderDeviceId: uuid,
    clientMessageId: z.string().min(1).max(128),
    ciphertext: z.base64(),
    createdAt: timestamp,
    kind: z.enum(['APPLICATION', 'COMMIT']),
    epoch: seq.nullable(),
  }),
  z.object({
    type: z.literal('welcome'),
    conversationId: uuid,
    welcomeId: uuid,
    deviceIds: z.array(uuid).min(1).max(10_000),
    commitSeq: seq.min(1),
    epoch: seq.min(1),
  }),
  z.object({
    type: z.literal('receipt'),
    conversationId: uuid,
    userId: uuid,
    deliveredSeq: seq,
    readSeq: seq.nullable(),
  }),
  z.object({
    type: z.literal('typing'),
    conversationId: uuid,
    userId: uuid,
    typing: z.boolean(),
    expiresAt: timestamp,
  }),
  z.object({
    type: z.literal('presence'),
    conversationId: uuid,
    userId: uuid,
    online: z.boolean(),
    lastSeenAt: timestamp.nullable(),
  }),
  z.object({
    type: z.literal('conversation'),
    conversationId: uuid,
    change: z.enum(['CREATED', 'MEMBER_ADDED', 'MEMBER_REMOVED', 'UPDATED']),
    userIds: z.array(uuid).max(10_000),
  }),
  z.object({ type: z.literal('device_revoked'), userId: uuid, deviceId: uuid }),
  z.object({
    type: z.literal('key_packages_low'),
    userId: uuid,
    deviceId: uuid,
    available: seq,
  }),
]);

/** Parses an event received from another instance; returns undefined when it is malformed. */
export function parseBusEvent(raw: string): BusEvent | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = busEventSchema.safeParse(json);
  // The schema checked every id's shape, which is what the branded types promise.
  return parsed.success ? (parsed.data as BusEvent) : undefined;
}

/** Channels: one per conversation for its traffic, one per user for membership and devices. */
export type Channel = `c:${string}` | `u:${string}`;

export const conversationChannel = (id: ConversationId): Channel => `c:${id}`;
export const userChannel = (id: UserId): Channel => `u:${id}`;
