// Browser-only (page). The events of this device's subscription (operations.ts, schema's
// DeviceEvent union) as a readonly union told apart by `type`, each checked field by field
// before the engine acts on it: a malformed event is reported, never half-applied.
import { fromBase64 } from '@parley/crypto';

export type DeviceEvent =
  | {
      readonly type: 'message';
      readonly conversationId: string;
      readonly seq: number;
      readonly clientMessageId: string;
      readonly kind: 'APPLICATION' | 'COMMIT';
      readonly senderUserId: string;
      readonly senderDeviceId: string;
      readonly ciphertext: Uint8Array;
      /** Server time of storage (ms). */
      readonly storedAt: number;
    }
  | {
      readonly type: 'welcome';
      readonly conversationId: string;
      readonly commitSeq: number;
      readonly welcome: Uint8Array;
    }
  | {
      readonly type: 'receipt';
      readonly conversationId: string;
      readonly userId: string;
      /** null when the user keeps read receipts off. */
      readonly readUpTo: number | null;
    }
  | {
      readonly type: 'typing';
      readonly conversationId: string;
      readonly userId: string;
      readonly typing: boolean;
      readonly expiresAt: number;
    }
  | {
      readonly type: 'presence';
      readonly userId: string;
      readonly online: boolean;
      readonly lastSeenAt: number | null;
    }
  | {
      readonly type: 'conversation';
      readonly conversationId: string;
      readonly change: string;
      readonly userIds: readonly string[];
    }
  | { readonly type: 'key_packages_low' }
  | { readonly type: 'caught_up' }
  /** A kind of event added to the API after this app was built. */
  | { readonly type: 'other' };

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

type Raw = Readonly<Record<string, unknown>>;

export function parseDeviceEvent(raw: unknown): DeviceEvent {
  const event = object(raw, 'event');
  switch (event.__typename) {
    case 'MessageEvent': {
      const message = object(event.message, 'message');
      const kind = message.kind;
      if (kind !== 'APPLICATION' && kind !== 'COMMIT') throw malformed('message.kind');
      return {
        type: 'message',
        conversationId: string(event.conversationId, 'conversationId'),
        seq: integer(message.seq, 'message.seq'),
        clientMessageId: string(message.clientMessageId, 'message.clientMessageId'),
        kind,
        senderUserId: string(object(message.sender, 'message.sender').id, 'message.sender.id'),
        senderDeviceId: string(message.senderDeviceId, 'message.senderDeviceId'),
        ciphertext: bytes(message.ciphertext, 'message.ciphertext'),
        storedAt: time(message.createdAt, 'message.createdAt'),
      };
    }
    case 'WelcomeEvent':
      return {
        type: 'welcome',
        conversationId: string(event.conversationId, 'conversationId'),
        commitSeq: integer(event.commitSeq, 'commitSeq'),
        welcome: bytes(event.welcome, 'welcome'),
      };
    case 'ReceiptEvent':
      return {
        type: 'receipt',
        conversationId: string(event.conversationId, 'conversationId'),
        userId: string(object(event.user, 'user').id, 'user.id'),
        readUpTo: event.readUpTo == null ? null : integer(event.readUpTo, 'readUpTo'),
      };
    case 'TypingEvent':
      return {
        type: 'typing',
        conversationId: string(event.conversationId, 'conversationId'),
        userId: string(object(event.user, 'user').id, 'user.id'),
        typing: event.typing === true,
        expiresAt: time(event.expiresAt, 'expiresAt'),
      };
    case 'PresenceEvent':
      return {
        type: 'presence',
        userId: string(object(event.user, 'user').id, 'user.id'),
        online: event.online === true,
        lastSeenAt: event.lastSeenAt == null ? null : time(event.lastSeenAt, 'lastSeenAt'),
      };
    case 'ConversationEvent':
      return {
        type: 'conversation',
        conversationId: string(event.conversationId, 'conversationId'),
        change: string(event.change, 'change'),
        userIds: (Array.isArray(event.users) ? event.users : []).map((user: unknown) =>
          string(object(user, 'users[]').id, 'users[].id'),
        ),
      };
    case 'KeyPackagesLowEvent':
      return { type: 'key_packages_low' };
    case 'CaughtUpEvent':
      return { type: 'caught_up' };
    default:
      return { type: 'other' };
  }
}

function malformed(field: string): MalformedEventError {
  return new MalformedEventError(`The server sent an event with a malformed ${field}.`);
}

function object(value: unknown, field: string): Raw {
  if (typeof value !== 'object' || value === null) throw malformed(field);
  return value as Raw;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw malformed(field);
  return value;
}

function integer(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw malformed(field);
  return value as number;
}

function time(value: unknown, field: string): number {
  const at = Date.parse(string(value, field));
  if (Number.isNaN(at)) throw malformed(field);
  return at;
}

function bytes(value: unknown, field: string): Uint8Array {
  const decoded = fromBase64(string(value, field));
  if (!decoded) throw malformed(field);
  return decoded;
}
