// Server-only. The API of the MLS Delivery Service: the device directory, key packages, the
// handshake log (commits) and what each conversation's group holds. Every byte string here is
// MLS wire format that the server checks for shape only; it never holds a key to read them.
import type { ConversationId, DeviceId, UserId } from '../../ids.js';
import { parseDeviceId, parseUserId } from '../../ids.js';
import type { Device } from '../../generated/prisma/client.ts';
import { submitCommit } from '../../mls/commits.js';
import { directoryOf, introduceDevice, registerDeviceKey } from '../../mls/device-directory.js';
import {
  claimKeyPackages,
  keyPackageStock,
  uploadKeyPackages,
  type KeyPackageStock,
} from '../../mls/key-packages.js';
import { toMessageEvent } from '../../messaging/messages.js';
import { publicDeviceId } from '../../mls/public-ids.js';
import { builder } from '../builder.js';
import { requireViewer } from '../context.js';
import { decodeGlobalIdOf } from '../global-id.js';
import { ConversationRef, conversationIdArg } from './conversation.js';
import { MessageRef } from './message.js';
import { UserRef, ViewerRef } from './user.js';

const base64 = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

const deviceIdArg = (value: string | number) =>
  decodeGlobalIdOf(String(value), 'Device', parseDeviceId) as DeviceId;

/** A device directory entry; `Device` itself is only ever shown to its own user. */
export const DeviceKeyRef = builder.objectRef<Device>('DeviceKey').implement({
  description:
    'A device as the directory lists it: whose it is and the MLS signature key it signs ' +
    'with. Clients check every MLS credential against this before trusting it.',
  fields: (t) => ({
    deviceId: t.id({ resolve: (device) => publicDeviceId(device.id) }),
    user: t.field({ type: UserRef, resolve: (device) => device.userId }),
    signatureKey: t.field({ type: 'Bytes', resolve: (device) => base64(device.signatureKey!) }),
    revoked: t.boolean({
      description: 'Signed out: its leaves should be removed from groups.',
      resolve: (device) => device.revokedAt !== null,
    }),
    introducedBy: t.id({
      nullable: true,
      description: 'The device of the same user that signed this one’s key, if one did.',
      resolve: (device) => (device.introducedById ? publicDeviceId(device.introducedById) : null),
    }),
    introduction: t.field({
      type: 'Bytes',
      nullable: true,
      description: 'That signature (verifyIntroduction in @parley/crypto checks it).',
      resolve: (device) => (device.introduction ? base64(device.introduction) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.objectField(UserRef, 'deviceKeys', (t) =>
  t.field({
    type: [DeviceKeyRef],
    description: 'The device directory for this user: every device with a key, oldest first.',
    resolve: async (user, _args, context) => {
      requireViewer(context);
      return directoryOf(context.deps, [user.id as UserId]);
    },
  }),
);

const KeyPackageStockRef = builder.objectRef<KeyPackageStock>('KeyPackageStock').implement({
  description: 'What this device has left on the server for others to add it with.',
  fields: (t) => ({
    available: t.exposeInt('available', {
      description: 'One-time key packages left; upload more when this runs low.',
    }),
    lastResort: t.exposeBoolean('lastResort', {
      description: 'Whether a last-resort key package is stored for when none are left.',
    }),
  }),
});

builder.objectField(ViewerRef, 'keyPackageStock', (t) =>
  t.field({
    type: KeyPackageStockRef,
    resolve: (_user, _args, context) =>
      keyPackageStock(context.deps, requireViewer(context).deviceId),
  }),
);

builder.mutationField('registerDeviceKey', (t) =>
  t.field({
    type: DeviceKeyRef,
    description:
      'Publishes this device’s MLS signature public key in the directory. Set once per device.',
    args: {
      input: t.arg({
        type: builder.inputType('RegisterDeviceKeyInput', {
          fields: (f) => ({
            signatureKey: f.field({ type: 'Bytes', description: 'Ed25519 public key, 32 bytes.' }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      registerDeviceKey(context.deps, requireViewer(context), input.signatureKey),
  }),
);

builder.mutationField('introduceDevice', (t) =>
  t.field({
    type: DeviceKeyRef,
    description:
      'Publishes this device’s signature over the key of another of your devices, so that ' +
      'contacts who verified this one can trust that one too. Once per introduced device.',
    args: {
      input: t.arg({
        type: builder.inputType('IntroduceDeviceInput', {
          fields: (f) => ({
            deviceId: f.id(),
            signature: f.field({ type: 'Bytes', description: 'From introduceDevice.' }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      introduceDevice(
        context.deps,
        requireViewer(context),
        deviceIdArg(input.deviceId),
        input.signature,
      ),
  }),
);

builder.mutationField('uploadKeyPackages', (t) =>
  t.field({
    type: KeyPackageStockRef,
    description:
      'Stores key packages (MLSMessage KeyPackage) for others to add this device with. ' +
      'Each must name this device and be signed with its registered key.',
    args: {
      input: t.arg({
        type: builder.inputType('UploadKeyPackagesInput', {
          fields: (f) => ({
            keyPackages: f.field({ type: ['Bytes'], description: 'One-time key packages.' }),
            lastResort: f.field({
              type: 'Bytes',
              required: false,
              description: 'Replaces the last-resort key package, handed out when none are left.',
            }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      uploadKeyPackages(context.deps, requireViewer(context), {
        keyPackages: input.keyPackages,
        lastResort: input.lastResort,
      }),
  }),
);

type ClaimResult = Awaited<ReturnType<typeof claimKeyPackages>>;

const ClaimedKeyPackageRef = builder
  .objectRef<ClaimResult['claimed'][number]>('ClaimedKeyPackage')
  .implement({
    fields: (t) => ({
      device: t.field({ type: DeviceKeyRef, resolve: (claimed) => claimed.device }),
      keyPackage: t.field({ type: 'Bytes', resolve: (claimed) => base64(claimed.keyPackage) }),
      lastResort: t.exposeBoolean('lastResort'),
    }),
  });

const ClaimKeyPackagesPayloadRef = builder
  .objectRef<ClaimResult>('ClaimKeyPackagesPayload')
  .implement({
    fields: (t) => ({
      keyPackages: t.field({ type: [ClaimedKeyPackageRef], resolve: (result) => result.claimed }),
      unavailable: t.field({
        type: [DeviceKeyRef],
        description: 'Devices that have no key package to hand out; they cannot be added now.',
        resolve: (result) => result.unavailable,
      }),
    }),
  });

builder.mutationField('claimKeyPackages', (t) =>
  t.field({
    type: ClaimKeyPackagesPayloadRef,
    description:
      'Takes one key package for each signed-in device of a user (except the one asking), to ' +
      'add them to a group. Each one-time package is handed out once.',
    args: {
      input: t.arg({
        type: builder.inputType('ClaimKeyPackagesInput', {
          fields: (f) => ({
            userId: f.id(),
            deviceIds: f.idList({ required: false, description: 'Only these devices.' }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      claimKeyPackages(
        context.deps,
        requireViewer(context),
        decodeGlobalIdOf(String(input.userId), 'User', parseUserId),
        input.deviceIds?.map(deviceIdArg),
      ),
  }),
);

const SubmitCommitPayloadRef = builder
  .objectRef<{ message: ReturnType<typeof toMessageEvent>; epoch: number; duplicate: boolean }>(
    'SubmitCommitPayload',
  )
  .implement({
    fields: (t) => ({
      message: t.field({ type: MessageRef, resolve: (payload) => payload.message }),
      epoch: t.exposeInt('epoch', { description: 'The epoch the group is in after the commit.' }),
      duplicate: t.exposeBoolean('duplicate', {
        description: 'True when this client message id was stored before: nothing new happened.',
      }),
    }),
  });

builder.mutationField('submitCommit', (t) =>
  t.field({
    type: SubmitCommitPayloadRef,
    description:
      'Appends an MLS commit to the conversation’s log if it was made in the current epoch; ' +
      'otherwise fails with STALE_EPOCH and `extensions.currentEpoch`. Idempotent by ' +
      'clientMessageId. Removals go in commits of their own.',
    args: {
      input: t.arg({
        type: builder.inputType('SubmitCommitInput', {
          fields: (f) => ({
            conversationId: f.id(),
            clientMessageId: f.string(),
            commit: f.field({ type: 'Bytes', description: 'MLSMessage holding the commit.' }),
            welcome: f.field({
              type: 'Bytes',
              required: false,
              description: 'MLSMessage Welcome for the added devices.',
            }),
            addedDeviceIds: f.idList({ required: false }),
            removedDeviceIds: f.idList({ required: false }),
          }),
        }),
      }),
    },
    resolve: async (_root, { input }, context) => {
      const result = await submitCommit(context.deps, requireViewer(context), {
        conversationId: conversationIdArg(input.conversationId),
        clientMessageId: input.clientMessageId,
        commit: input.commit,
        welcome: input.welcome,
        addedDeviceIds: (input.addedDeviceIds ?? []).map(deviceIdArg),
        removedDeviceIds: (input.removedDeviceIds ?? []).map(deviceIdArg),
      });
      return { ...result, message: toMessageEvent(result.message) };
    },
  }),
);

builder.objectFields(ConversationRef, (t) => ({
  epoch: t.exposeInt('epoch', {
    description: 'The MLS group’s current epoch: the next commit must be made in it.',
  }),
  groupDevices: t.field({
    type: [DeviceKeyRef],
    description: 'The devices in the conversation’s MLS group, as its commits said.',
    resolve: async (conversation, _args, context) => {
      requireViewer(context);
      const rows = await context.deps.db.prisma.groupDevice.findMany({
        where: { conversationId: conversation.id, removedSeq: null },
        include: { device: true },
        orderBy: { addedSeq: 'asc' },
      });
      return rows.map((row) => row.device);
    },
  }),
  devicesAwaitingJoin: t.field({
    type: [DeviceKeyRef],
    description:
      'Members’ signed-in devices with a key that are not in the group yet: a member adds them.',
    resolve: async (conversation, _args, context) => {
      requireViewer(context);
      if (conversation.epoch === 0) return [];
      return context.deps.db.prisma.device.findMany({
        where: {
          revokedAt: null,
          signatureKey: { not: null },
          user: { members: { some: { conversationId: conversation.id, leftAt: null } } },
          groupDevices: { none: { conversationId: conversation.id, removedSeq: null } },
        },
        orderBy: { createdAt: 'asc' },
      });
    },
  }),
  devicesAwaitingRemoval: t.field({
    type: [DeviceKeyRef],
    description:
      'Devices still in the group that were signed out or whose user left: a member removes them.',
    resolve: async (conversation, _args, context) => {
      requireViewer(context);
      const rows = await context.deps.db.prisma.groupDevice.findMany({
        where: { conversationId: conversation.id, removedSeq: null },
        include: { device: true },
      });
      const members = await context.deps.db.prisma.member.findMany({
        where: { conversationId: conversation.id as ConversationId, leftAt: null },
        select: { userId: true },
      });
      const memberIds = new Set(members.map((m) => m.userId));
      return rows
        .map((row) => row.device)
        .filter((device) => device.revokedAt !== null || !memberIds.has(device.userId));
    },
  }),
}));
