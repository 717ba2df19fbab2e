// Server-only. Users, devices, the signed-in viewer, privacy settings, sign-in and contacts.
import {
  listDevices,
  requestVerificationCode,
  revokeDevice,
  verifyCode,
} from '../../identity/accounts.js';
import {
  discoverContacts,
  mayView,
  updatePrivacy,
  updateProfile,
} from '../../identity/profiles.js';
import type { Device, User } from '../../generated/prisma/client.ts';
import { parseDeviceId, parseUserId, type UserId } from '../../ids.js';
import { publicDeviceId } from '../../mls/public-ids.js';
import { builder } from '../builder.js';
import { requireViewer } from '../context.js';
import { decodeGlobalIdOf } from '../global-id.js';

export const VisibilityEnum = builder.enumType('Visibility', {
  description: 'Who may see a presence field.',
  values: {
    EVERYONE: { description: 'Anybody who shares a conversation or looks the user up.' },
    CONTACTS: { description: 'Users whom this user found through contact discovery.' },
    NOBODY: { description: 'Nobody; this also hides everybody else’s from this user.' },
  } as const,
});

export const UserRef = builder.loadableNodeRef<User, string>('User', {
  id: { resolve: (user) => user.id },
  load: async (ids, context) => {
    const users = await context.deps.db.prisma.user.findMany({ where: { id: { in: ids } } });
    const byId = new Map(users.map((user) => [user.id, user]));
    return ids.map((id) => byId.get(id) ?? new Error('User not found'));
  },
});

builder.objectType(UserRef, {
  description: 'A person with a Parley account.',
  fields: (t) => ({
    phoneNumber: t.exposeString('phoneNumber', { description: 'E.164 phone number.' }),
    displayName: t.exposeString('displayName'),
    about: t.exposeString('about'),
    avatarRef: t.exposeString('avatarRef', { nullable: true }),
    online: t.boolean({
      nullable: true,
      description: 'Whether any device of the user is connected; null when hidden from you.',
      resolve: async (user, _args, context) => {
        requireViewer(context);
        if (!(await mayView(context.deps, await context.self(), user, 'online'))) return null;
        const online = await context.deps.store.online([user.id as UserId]);
        return online.has(user.id as UserId);
      },
    }),
    lastSeenAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the user’s last device went away; null when hidden or never.',
      resolve: async (user, _args, context) => {
        requireViewer(context);
        if (!(await mayView(context.deps, await context.self(), user, 'lastSeen'))) return null;
        return user.lastSeenAt;
      },
    }),
  }),
});

export const DeviceRef = builder.objectRef<Device>('Device');

builder.objectType(DeviceRef, {
  description: 'One signed-in device of a user: a browser, a phone, a bot.',
  fields: (t) => ({
    id: t.field({
      type: 'ID',
      resolve: (device) => publicDeviceId(device.id),
    }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastActiveAt: t.expose('lastActiveAt', { type: 'DateTime' }),
    current: t.boolean({
      description: 'Whether this is the device making the request.',
      resolve: (device, _args, context) => device.id === context.viewer?.deviceId,
    }),
  }),
});

const PrivacySettingsRef = builder.objectRef<User>('PrivacySettings');
builder.objectType(PrivacySettingsRef, {
  fields: (t) => ({
    lastSeen: t.expose('lastSeenVisibility', { type: VisibilityEnum }),
    online: t.expose('onlineVisibility', { type: VisibilityEnum }),
    readReceipts: t.exposeBoolean('readReceipts', {
      description: 'Off: others do not see when you read, and you do not see when they read.',
    }),
  }),
});

export const ViewerRef = builder.objectRef<User>('Viewer');
builder.objectType(ViewerRef, {
  description: 'The signed-in user, as seen by the device making the request.',
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (user) => user }),
    privacy: t.field({ type: PrivacySettingsRef, resolve: (user) => user }),
    device: t.field({
      type: DeviceRef,
      resolve: async (_user, _args, context) => {
        const viewer = requireViewer(context);
        return context.deps.db.prisma.device.findUniqueOrThrow({ where: { id: viewer.deviceId } });
      },
    }),
    devices: t.field({
      type: [DeviceRef],
      description: 'Every device signed in on this account, oldest first.',
      resolve: (_user, _args, context) => listDevices(context.deps, requireViewer(context)),
    }),
    contacts: t.field({
      type: [UserRef],
      description: 'Users found through contact discovery.',
      resolve: async (_user, _args, context) => {
        const viewer = requireViewer(context);
        const rows = await context.deps.db.prisma.contact.findMany({
          where: { ownerId: viewer.userId },
          include: { contact: true },
          orderBy: { createdAt: 'asc' },
        });
        return rows.map((row) => row.contact);
      },
    }),
  }),
});

async function loadViewerUser(context: Parameters<typeof requireViewer>[0]) {
  const viewer = requireViewer(context);
  return context.deps.db.prisma.user.findUniqueOrThrow({ where: { id: viewer.userId } });
}

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    description: 'The signed-in user and device.',
    resolve: (_root, _args, context) => loadViewerUser(context),
  }),
);

builder.queryField('user', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    args: { id: t.arg.id() },
    resolve: async (_root, args, context) => {
      requireViewer(context);
      const id = decodeGlobalIdOf(String(args.id), 'User', parseUserId);
      return context.deps.db.prisma.user.findUnique({ where: { id } });
    },
  }),
);

// Sign-in.

const CodeRequestRef = builder
  .objectRef<{ phoneNumber: string; expiresAt: Date }>('VerificationCodeRequest')
  .implement({
    fields: (t) => ({
      phoneNumber: t.exposeString('phoneNumber', { description: 'The number, in E.164.' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    }),
  });

builder.mutationField('requestVerificationCode', (t) =>
  t.field({
    type: CodeRequestRef,
    description: 'Sends a one-time code to a phone number, the first step of signing in.',
    args: {
      input: t.arg({
        type: builder.inputType('RequestVerificationCodeInput', {
          fields: (f) => ({
            phoneNumber: f.string({ description: 'International form, e.g. +14155550123.' }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      requestVerificationCode(context.deps, {
        phoneNumber: input.phoneNumber,
        clientAddress: context.clientAddress,
      }),
  }),
);

const SignInRef = builder
  .objectRef<{ token: string; user: User; device: Device; isNewUser: boolean }>('SignInPayload')
  .implement({
    fields: (t) => ({
      token: t.exposeString('token', {
        description: 'This device’s secret token, shown once. Send it as a Bearer token.',
      }),
      user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
      device: t.field({ type: DeviceRef, resolve: (payload) => payload.device }),
      isNewUser: t.exposeBoolean('isNewUser'),
    }),
  });

builder.mutationField('verifyCode', (t) =>
  t.field({
    type: SignInRef,
    description: 'Checks the code and signs this device in, creating the account if new.',
    args: {
      input: t.arg({
        type: builder.inputType('VerifyCodeInput', {
          fields: (f) => ({
            phoneNumber: f.string(),
            code: f.string({ description: 'The six digits that were sent.' }),
            deviceName: f.string({ description: 'How this device is listed, e.g. "Firefox".' }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      verifyCode(context.deps, { ...input, clientAddress: context.clientAddress }),
  }),
);

builder.mutationField('revokeDevice', (t) =>
  t.field({
    type: DeviceRef,
    description: 'Signs a device of yours out; its connections close at once.',
    args: {
      input: t.arg({
        type: builder.inputType('RevokeDeviceInput', { fields: (f) => ({ deviceId: f.id() }) }),
      }),
    },
    resolve: (_root, { input }, context) =>
      revokeDevice(
        context.deps,
        requireViewer(context),
        decodeGlobalIdOf(String(input.deviceId), 'Device', parseDeviceId),
      ),
  }),
);

// Profile and privacy.

builder.mutationField('updateProfile', (t) =>
  t.field({
    type: UserRef,
    args: {
      input: t.arg({
        type: builder.inputType('UpdateProfileInput', {
          fields: (f) => ({
            displayName: f.string({ required: false, description: 'Up to 64 characters.' }),
            about: f.string({ required: false, description: 'Up to 140 characters.' }),
            avatarRef: f.string({ required: false, description: 'Reference to an avatar upload.' }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      updateProfile(context.deps, requireViewer(context), input),
  }),
);

builder.mutationField('updatePrivacySettings', (t) =>
  t.field({
    type: PrivacySettingsRef,
    args: {
      input: t.arg({
        type: builder.inputType('UpdatePrivacySettingsInput', {
          fields: (f) => ({
            lastSeen: f.field({ type: VisibilityEnum, required: false }),
            online: f.field({ type: VisibilityEnum, required: false }),
            readReceipts: f.boolean({ required: false }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      updatePrivacy(context.deps, requireViewer(context), input),
  }),
);

builder.mutationField('discoverContacts', (t) =>
  t.field({
    type: [UserRef],
    description: 'Which of these phone numbers are Parley users; they become your contacts.',
    args: {
      input: t.arg({
        type: builder.inputType('DiscoverContactsInput', {
          fields: (f) => ({ phoneNumbers: f.stringList() }),
        }),
      }),
    },
    resolve: (_root, { input }, context) =>
      discoverContacts(context.deps, requireViewer(context), input.phoneNumbers),
  }),
);
