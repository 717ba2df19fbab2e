// The events of a device's one subscription (schema: `events` and the DeviceEvent union), as a
// readonly union told apart by `type`. Each is checked field by field before the bot acts on it.
import { WireReader } from './wire-reader.ts';

/** A conversation's position for this device: the last seq it has processed. */
export type Cursor = { readonly conversationId: string; readonly seq: number };

/** One entry of a conversation's log: an MLS application message or commit, as ciphertext. */
export type MessageEvent = {
  readonly type: 'message';
  readonly conversationId: string;
  readonly seq: number;
  readonly kind: 'APPLICATION' | 'COMMIT';
  /** For commits, the epoch the commit was made in; null for application messages. */
  readonly epoch: number | null;
  readonly senderDeviceId: string;
  readonly ciphertext: Uint8Array;
};

/** A commit added this device to a conversation's MLS group. */
export type WelcomeEvent = {
  readonly type: 'welcome';
  readonly conversationId: string;
  /** The MLS Welcome message (RFC 9420, section 12.4.3.1). */
  readonly welcome: Uint8Array;
  /** The seq of the commit that added this device: the group starts right after it. */
  readonly commitSeq: number;
  readonly epoch: number;
};

const membershipChanges = ['CREATED', 'MEMBER_ADDED', 'MEMBER_REMOVED', 'UPDATED'] as const;

/** Somebody joined or left a conversation of this user, or it was created or changed. */
export type MembershipEvent = {
  readonly type: 'membership';
  readonly conversationId: string;
  /** OTHER stands for a change added to the API after this client was written. */
  readonly change: (typeof membershipChanges)[number] | 'OTHER';
  readonly userIds: readonly string[];
};

/** The replay of what the device missed is over; what follows is live. */
export type CaughtUpEvent = { readonly type: 'caught_up' };

/** Receipts, typing and presence: events this bot has no use for. */
export type OtherEvent = { readonly type: 'other'; readonly typename: string };

export type DeviceEvent =
  | MessageEvent
  | WelcomeEvent
  | MembershipEvent
  | CaughtUpEvent
  | OtherEvent;

export const deviceEventsSubscription = `
  subscription DeviceEvents($cursors: [ConversationCursorInput!]) {
    events(cursors: $cursors) {
      __typename
      ... on MessageEvent {
        conversationId
        message { seq kind epoch ciphertext senderDeviceId }
      }
      ... on WelcomeEvent { conversationId welcome commitSeq epoch }
      ... on ConversationEvent { conversationId change users { id } }
      ... on CaughtUpEvent { at }
    }
  }`;

export function parseDeviceEvent(value: unknown): DeviceEvent {
  const event = new WireReader(value, 'events');
  const typename = event.string('__typename');
  switch (typename) {
    case 'MessageEvent': {
      const message = event.object('message');
      return {
        type: 'message',
        conversationId: event.string('conversationId'),
        seq: message.integer('seq'),
        kind: message.oneOf('kind', ['APPLICATION', 'COMMIT']),
        epoch: message.nullableInteger('epoch'),
        senderDeviceId: message.string('senderDeviceId'),
        ciphertext: message.bytes('ciphertext'),
      };
    }
    case 'WelcomeEvent':
      return {
        type: 'welcome',
        conversationId: event.string('conversationId'),
        welcome: event.bytes('welcome'),
        commitSeq: event.integer('commitSeq'),
        epoch: event.integer('epoch'),
      };
    case 'ConversationEvent': {
      const change = event.string('change');
      return {
        type: 'membership',
        conversationId: event.string('conversationId'),
        change: membershipChanges.find((known) => known === change) ?? 'OTHER',
        userIds: event.list('users').map((user) => user.string('id')),
      };
    }
    case 'CaughtUpEvent':
      return { type: 'caught_up' };
    default:
      return { type: 'other', typename };
  }
}
