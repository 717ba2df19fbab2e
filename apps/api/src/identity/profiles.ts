// Server-only. Profiles, privacy settings, contacts, and who may see whose presence.
import type { Deps } from '../deps.js';
import { badInput } from '../errors.js';
import type { User, Visibility } from '../generated/prisma/client.ts';
import { enforceRateLimit } from '../rate-limit.js';
import type { Viewer } from '../viewer.js';
import { parsePhoneNumber, type PhoneNumber } from './phone-number.js';

export type ProfileChanges = {
  displayName?: string | null | undefined;
  about?: string | null | undefined;
  avatarRef?: string | null | undefined;
};

function checkLength(value: string, max: number, field: string): string {
  const trimmed = value.trim();
  if (trimmed.length > max) throw badInput(`${field} has at most ${max} characters.`, field);
  return trimmed;
}

export async function updateProfile(deps: Deps, viewer: Viewer, changes: ProfileChanges) {
  return deps.db.prisma.user.update({
    where: { id: viewer.userId },
    data: {
      ...(changes.displayName != null && {
        displayName: checkLength(changes.displayName, 64, 'displayName'),
      }),
      ...(changes.about != null && { about: checkLength(changes.about, 140, 'about') }),
      ...(changes.avatarRef !== undefined && {
        avatarRef:
          changes.avatarRef === null ? null : checkLength(changes.avatarRef, 256, 'avatarRef'),
      }),
    },
  });
}

export type PrivacyChanges = {
  lastSeen?: Visibility | null | undefined;
  online?: Visibility | null | undefined;
  readReceipts?: boolean | null | undefined;
};

export async function updatePrivacy(deps: Deps, viewer: Viewer, changes: PrivacyChanges) {
  return deps.db.prisma.user.update({
    where: { id: viewer.userId },
    data: {
      ...(changes.lastSeen != null && { lastSeenVisibility: changes.lastSeen }),
      ...(changes.online != null && { onlineVisibility: changes.online }),
      ...(changes.readReceipts != null && { readReceipts: changes.readReceipts }),
    },
  });
}

/**
 * Contact discovery: which of these numbers are Parley users. Matches become the viewer's
 * contacts, which is what the CONTACTS visibility setting refers to. Numbers that do not parse
 * are skipped, as address books hold plenty of them.
 */
export async function discoverContacts(
  deps: Deps,
  viewer: Viewer,
  phoneNumbers: readonly string[],
): Promise<User[]> {
  if (phoneNumbers.length > deps.limits.lookupBatch) {
    throw badInput(`Look up at most ${deps.limits.lookupBatch} numbers at once.`, 'phoneNumbers');
  }
  const parsed = new Set<PhoneNumber>();
  for (const number of phoneNumbers) {
    try {
      parsed.add(parsePhoneNumber(number));
    } catch {
      // Skipped on purpose; see above.
    }
  }
  // Each number counts against the limit, so that discovery cannot enumerate the directory.
  for (let i = 0; i < parsed.size; i += 1) {
    await enforceRateLimit(
      deps.store,
      `lookups:${viewer.deviceId}`,
      deps.limits.lookupsPerDevice,
      'contact look-ups',
    );
  }
  const users = await deps.db.prisma.user.findMany({
    where: { phoneNumber: { in: [...parsed] }, id: { not: viewer.userId } },
    orderBy: { phoneNumber: 'asc' },
  });
  await deps.db.prisma.contact.createMany({
    data: users.map((user) => ({ ownerId: viewer.userId, contactId: user.id })),
    skipDuplicates: true,
  });
  return users;
}

export type PresenceSubject = Pick<User, 'id' | 'lastSeenVisibility' | 'onlineVisibility'>;

/**
 * Whether `target` lets `viewer` see one of its presence fields. The caller passes the viewer's
 * own settings, which it reads once per operation or subscription, not once per field.
 */
export async function mayView(
  deps: Deps,
  viewer: PresenceSubject,
  target: PresenceSubject,
  field: 'lastSeen' | 'online',
): Promise<boolean> {
  if (target.id === viewer.id) return true;
  const setting = field === 'lastSeen' ? target.lastSeenVisibility : target.onlineVisibility;
  if (setting === 'NOBODY') return false;

  // Reciprocity: whoever hides their own last seen cannot see anybody else's.
  const own = field === 'lastSeen' ? viewer.lastSeenVisibility : viewer.onlineVisibility;
  if (own === 'NOBODY') return false;

  if (setting === 'EVERYONE') return true;
  const contact = await deps.db.prisma.contact.findUnique({
    where: { ownerId_contactId: { ownerId: target.id, contactId: viewer.id } },
    select: { ownerId: true },
  });
  return contact !== null;
}
