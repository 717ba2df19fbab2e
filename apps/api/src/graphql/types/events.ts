// Server-only. The device's one subscription: a union of everything that happens in its
// conversations. Payloads come straight from the bus event, built once per instance and shared
// by every subscriber; resolvers only read fields.
import type {
  ConversationEvent,
  KeyPackagesLowEvent,
  MessageEvent,
  PresenceEvent,
  ReceiptEvent,
  TypingEvent,
} from '../../bus/events.js';
import { ParleyError } from '../../errors.js';
import {
  type CaughtUpEvent,
  type DeviceEvent,
  type DeviceWelcomeEvent,
  openDeviceEvents,
} from '../../realtime/device-events.js';
import { builder } from '../builder.js';
import { requireViewer } from '../context.js';
import { encodeGlobalID } from '../global-id.js';
import { ConversationRef, conversationIdArg } from './conversation.js';
import { MessageRef } from './message.js';
import { UserRef } from './user.js';

const conversationGlobalId = (event: { conversationId: string }) =>
  encodeGlobalID('Conversation', event.conversationId);

const MessageEventRef = builder.objectRef<MessageEvent>('MessageEvent').implement({
  description: 'A new message, in seq order within its conversation.',
  fields: (t) => ({
    conversationId: t.id({ resolve: conversationGlobalId }),
    message: t.field({ type: MessageRef, resolve: (event) => event }),
  }),
});

const ReceiptEventRef = builder.objectRef<ReceiptEvent>('ReceiptEvent').implement({
  description: 'A member’s delivered or read cursor moved.',
  fields: (t) => ({
    conversationId: t.id({ resolve: conversationGlobalId }),
    user: t.field({ type: UserRef, resolve: (event) => event.userId }),
    deliveredUpTo: t.exposeInt('deliveredSeq'),
    readUpTo: t.exposeInt('readSeq', { nullable: true }),
  }),
});

const TypingEventRef = builder.objectRef<TypingEvent>('TypingEvent').implement({
  description: 'A member started or stopped typing; `typing` lapses at `expiresAt` by itself.',
  fields: (t) => ({
    conversationId: t.id({ resolve: conversationGlobalId }),
    user: t.field({ type: UserRef, resolve: (event) => event.userId }),
    typing: t.exposeBoolean('typing'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const PresenceEventRef = builder.objectRef<PresenceEvent>('PresenceEvent').implement({
  description: 'A member came online or went away, as far as their privacy settings let you see.',
  fields: (t) => ({
    conversationId: t.id({ resolve: conversationGlobalId }),
    user: t.field({ type: UserRef, resolve: (event) => event.userId }),
    online: t.exposeBoolean('online'),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', nullable: true }),
  }),
});

const ConversationChangeEnum = builder.enumType('ConversationChange', {
  values: ['CREATED', 'MEMBER_ADDED', 'MEMBER_REMOVED', 'UPDATED'] as const,
});

const ConversationEventRef = builder.objectRef<ConversationEvent>('ConversationEvent').implement({
  description: 'A conversation was created or its members changed.',
  fields: (t) => ({
    conversationId: t.id({ resolve: conversationGlobalId }),
    change: t.expose('change', { type: ConversationChangeEnum }),
    users: t.field({ type: [UserRef], resolve: (event) => [...event.userIds] }),
    conversation: t.field({
      type: ConversationRef,
      nullable: true,
      description: 'Null when you are no longer a member.',
      resolve: (event) => event.conversationId,
    }),
  }),
});

const WelcomeEventRef = builder.objectRef<DeviceWelcomeEvent>('WelcomeEvent').implement({
  description:
    'A commit added this device to a conversation’s MLS group: join with this Welcome, then ' +
    'process the conversation’s messages after `commitSeq`.',
  fields: (t) => ({
    conversationId: t.id({ resolve: conversationGlobalId }),
    conversation: t.field({
      type: ConversationRef,
      nullable: true,
      resolve: (event) => event.conversationId,
    }),
    welcome: t.expose('welcome', { type: 'Bytes', description: 'MLSMessage Welcome.' }),
    commitSeq: t.exposeInt('commitSeq'),
    epoch: t.exposeInt('epoch', { description: 'The epoch the Welcome joins the group at.' }),
  }),
});

const KeyPackagesLowEventRef = builder
  .objectRef<KeyPackagesLowEvent>('KeyPackagesLowEvent')
  .implement({
    description:
      'Others claimed this device’s key packages and few are left: upload more ' +
      '(uploadKeyPackages), or new conversations will all use the last-resort one.',
    fields: (t) => ({
      available: t.exposeInt('available', { description: 'One-time key packages left.' }),
    }),
  });

const CaughtUpEventRef = builder.objectRef<CaughtUpEvent>('CaughtUpEvent').implement({
  description:
    'Sent once, after the replay of what the device missed: every later event is live. ' +
    'A client can show "up to date" from here.',
  fields: (t) => ({ at: t.expose('at', { type: 'DateTime' }) }),
});

const DeviceEventUnion = builder.unionType('DeviceEvent', {
  types: [
    MessageEventRef,
    ReceiptEventRef,
    TypingEventRef,
    PresenceEventRef,
    ConversationEventRef,
    WelcomeEventRef,
    KeyPackagesLowEventRef,
    CaughtUpEventRef,
  ],
  resolveType: (event: DeviceEvent) => {
    switch (event.type) {
      case 'message':
        return 'MessageEvent';
      case 'receipt':
        return 'ReceiptEvent';
      case 'typing':
        return 'TypingEvent';
      case 'presence':
        return 'PresenceEvent';
      case 'conversation':
        return 'ConversationEvent';
      case 'welcome':
        return 'WelcomeEvent';
      case 'key_packages_low':
        return 'KeyPackagesLowEvent';
      case 'caught_up':
        return 'CaughtUpEvent';
    }
  },
});

const CursorInput = builder.inputType('ConversationCursorInput', {
  description: 'The last seq this device has of a conversation.',
  fields: (f) => ({ conversationId: f.id(), seq: f.int() }),
});

builder.subscriptionField('events', (t) =>
  t.field({
    type: DeviceEventUnion,
    description:
      'Everything for this device: first what it missed after its cursors, then live events. ' +
      'A conversation without a cursor replays what was sent since this device signed in.',
    args: { cursors: t.arg({ type: [CursorInput], required: false }) },
    subscribe: (_root, args, context) => {
      const viewer = requireViewer(context);
      const cursors = (args.cursors ?? []).map((cursor) => {
        if (!Number.isInteger(cursor.seq) || cursor.seq < 0) {
          throw new ParleyError('INVALID_CURSOR', 'A cursor’s seq is a whole number from 0.');
        }
        return { conversationId: conversationIdArg(cursor.conversationId), seq: cursor.seq };
      });
      return openDeviceEvents(context.deps, viewer, cursors);
    },
    resolve: (event) => event,
  }),
);
