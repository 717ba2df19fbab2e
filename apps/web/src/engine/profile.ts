// Browser-only (page). The signed-in user's profile, privacy settings and devices, as the
// settings screen shows and changes them. A profile photo is uploaded to the server's media
// store like any file, but unencrypted: like the name, it is what others see before a chat.
import type { DeviceView, PrivacyView, ProfileView } from '../model/view-models.ts';
import { ApiError } from './graphql-client.ts';
import {
  revokeDeviceMutation,
  updatePrivacyMutation,
  updateProfileMutation,
  viewerQuery,
} from './operations.ts';
import type { ParleyEngine } from './parley-engine.ts';
import { avatarUrlOf } from './view-store.ts';

export type AccountSettings = {
  readonly profile: ProfileView;
  readonly privacy: PrivacyView;
  readonly devices: readonly DeviceView[];
};

export async function loadAccountSettings(engine: ParleyEngine): Promise<AccountSettings> {
  const { viewer } = await engine.api.query(viewerQuery);
  const avatarUrl = avatarUrlOf(viewer.user);
  return {
    profile: {
      displayName: viewer.user.displayName,
      about: viewer.user.about,
      phoneNumber: viewer.user.phoneNumber,
      ...(avatarUrl && { avatarUrl }),
    },
    privacy: viewer.privacy,
    devices: (
      viewer.devices as {
        id: string;
        name: string;
        current: boolean;
        createdAt: string;
        lastActiveAt: string;
      }[]
    ).map((device) => ({
      id: device.id,
      name: device.name,
      current: device.current,
      signedInAt: Date.parse(device.createdAt),
      lastActiveAt: Date.parse(device.lastActiveAt),
    })),
  };
}

export async function saveProfile(
  engine: ParleyEngine,
  profile: { displayName?: string; about?: string; avatarRef?: string },
): Promise<void> {
  await engine.api.mutate(updateProfileMutation, profile);
}

export async function savePrivacy(engine: ParleyEngine, change: Partial<PrivacyView>) {
  await engine.api.mutate(updatePrivacyMutation, change);
}

export async function revokeDevice(engine: ParleyEngine, deviceId: string): Promise<void> {
  await engine.api.mutate(revokeDeviceMutation, { deviceId });
}

/** Scales the photo down to a 256-pixel square JPEG, uploads it and makes it the avatar. */
export async function changePhoto(engine: ParleyEngine, file: File): Promise<void> {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = new OffscreenCanvas(256, 256);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot scale images.');
  context.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    256,
    256,
  );
  const jpeg = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
  const response = await fetch('/media', {
    method: 'POST',
    headers: { authorization: `Bearer ${engine.account.token}` },
    body: jpeg,
  });
  if (!response.ok) {
    throw new ApiError('UPLOAD_FAILED', `The photo could not be uploaded (${response.status}).`);
  }
  const { id } = (await response.json()) as { id: string };
  await saveProfile(engine, { avatarRef: id });
}
