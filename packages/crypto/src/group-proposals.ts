// Shared (browser and Node). The proposals of a commit that adds or removes devices, each
// checked first, so that one bad key package or unknown device gets an error naming it instead
// of failing the whole commit obscurely.
import type { Proposal } from 'ts-mls';

import { verifyCredential, type AuthenticationPolicy } from './authentication.ts';
import { ParleyCryptoError } from './errors.ts';
import type { GroupMember } from './group-state.ts';
import type { DeviceRef } from './identity.ts';
import { inspectKeyPackage } from './key-packages.ts';

/** Add proposals from claimed key packages: suite, signature, credential and lifetime checked. */
export async function additions(
  keyPackages: readonly Uint8Array[],
  policy: AuthenticationPolicy,
  members: readonly GroupMember[],
): Promise<{ proposals: Proposal[]; added: DeviceRef[] }> {
  if (keyPackages.length === 0) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'Name at least one key package to add.');
  }
  const present = new Set(members.map((m) => m.deviceId));
  const proposals: Proposal[] = [];
  const added: DeviceRef[] = [];
  for (const bytes of keyPackages) {
    const inspected = await inspectKeyPackage(bytes);
    const device = await verifyCredential(
      policy,
      inspected.keyPackage.leafNode.credential,
      inspected.signaturePublicKey,
    );
    if (present.has(device.deviceId)) {
      throw new ParleyCryptoError(
        'INVALID_OPERATION',
        `Device ${device.deviceId} is already a member of this group.`,
      );
    }
    present.add(device.deviceId);
    added.push(device);
    proposals.push({ proposalType: 'add', add: { keyPackage: inspected.keyPackage } });
  }
  return { proposals, added };
}

/** Remove proposals for devices by id; never this device's own leaf. */
export function removals(
  deviceIds: readonly string[],
  members: readonly GroupMember[],
  ownLeafIndex: number,
): { proposals: Proposal[]; removed: DeviceRef[] } {
  const removed: GroupMember[] = [];
  for (const deviceId of new Set(deviceIds)) {
    const member = members.find((m) => m.deviceId === deviceId);
    if (!member) {
      throw new ParleyCryptoError('NOT_A_MEMBER', `Device ${deviceId} is not in this group.`);
    }
    if (member.leafIndex === ownLeafIndex) {
      throw new ParleyCryptoError(
        'INVALID_OPERATION',
        'A device cannot commit its own removal (RFC 9420, section 12.2); leave instead.',
      );
    }
    removed.push(member);
  }
  if (removed.length === 0) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'Name at least one device to remove.');
  }
  return {
    proposals: removed.map((member) => ({
      proposalType: 'remove',
      remove: { removed: member.leafIndex },
    })),
    removed: removed.map(({ userId, deviceId }) => ({ userId, deviceId })),
  };
}
