// Server-only. Web Push: the key a browser subscribes with, and this device's subscription.
import type { PushSubscription } from '../../generated/prisma/client.ts';
import {
  hasPushSubscription,
  registerPushSubscription,
  removePushSubscription,
} from '../../push/push-subscriptions.js';
import { builder } from '../builder.js';
import { requireViewer } from '../context.js';
import { ViewerRef } from './user.js';

const PushConfigRef = builder.objectRef<{ vapidPublicKey: string }>('PushConfig').implement({
  description: 'What a browser needs to subscribe to this server’s Web Push.',
  fields: (t) => ({
    vapidPublicKey: t.exposeString('vapidPublicKey', {
      description:
        'The server’s VAPID public key (RFC 8292): a P-256 point in base64url. Pass it as ' +
        '`applicationServerKey` to PushManager.subscribe(), and subscribe again when it changes.',
    }),
  }),
});

builder.queryField('pushConfig', (t) =>
  t.field({
    type: PushConfigRef,
    description: 'Web Push settings; readable before signing in.',
    resolve: (_root, _args, context) => ({ vapidPublicKey: context.deps.push.vapidPublicKey }),
  }),
);

const WebPushSubscriptionRef = builder
  .objectRef<PushSubscription>('WebPushSubscription')
  .implement({
    description: 'This device’s Web Push subscription, as the server keeps it.',
    fields: (t) => ({
      endpointOrigin: t.string({
        description:
          'The push service, e.g. https://fcm.googleapis.com. The rest of the endpoint ' +
          'is a secret between the browser, the server and the service, and is not shown.',
        resolve: (subscription) => new URL(subscription.endpoint).origin,
      }),
      createdAt: t.expose('createdAt', {
        type: 'DateTime',
        description: 'When it was registered, or last replaced.',
      }),
    }),
  });

builder.objectField(ViewerRef, 'pushEnabled', (t) =>
  t.boolean({
    description: 'Whether this device has a Web Push subscription: it gets pushes while away.',
    resolve: (_user, _args, context) => hasPushSubscription(context.deps, requireViewer(context)),
  }),
);

const PushSubscriptionKeysInput = builder.inputType('PushSubscriptionKeysInput', {
  description: 'PushSubscription.toJSON().keys, as the browser gives them.',
  fields: (f) => ({
    p256dh: f.string({ description: 'The browser’s P-256 public key, base64url (65 bytes).' }),
    auth: f.string({ description: 'The authentication secret, base64url (16 bytes).' }),
  }),
});

builder.mutationField('registerPushSubscription', (t) =>
  t.field({
    type: WebPushSubscriptionRef,
    description:
      'Registers the browser’s PushSubscription for this device, replacing the one it had. ' +
      'While the device has no live connection, each message for it arrives as a push ' +
      '(its MLS ciphertext when small enough, else a wake-up). INVALID_PUSH_SUBSCRIPTION, with ' +
      '`extensions.field`, names what is wrong.',
    args: {
      input: t.arg({
        type: builder.inputType('RegisterPushSubscriptionInput', {
          fields: (f) => ({
            endpoint: f.string({ description: 'PushSubscription.endpoint: an https URL.' }),
            keys: f.field({ type: PushSubscriptionKeysInput }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      registerPushSubscription(context.deps, requireViewer(context), input),
  }),
);

builder.mutationField('removePushSubscription', (t) =>
  t.boolean({
    description: 'Stops pushes to this device. False when it had no subscription.',
    resolve: (_root, _args, context) =>
      removePushSubscription(context.deps, requireViewer(context)),
  }),
);
