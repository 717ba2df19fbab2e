// Server-only. Welcomes as a device's event stream hands them out: each ahead of the messages
// after its commit, and again on every subscription until the device's cursor for that
// conversation reaches the commit, which is the device's word that it joined.
import type { WelcomeEvent } from '../bus/events.js';
import type { Deps } from '../deps.js';
import type { Member, Welcome } from '../generated/prisma/client.ts';
import type { ConversationId } from '../ids.js';
import type { Viewer } from '../viewer.js';

/** A Welcome for this device, with its bytes (base64), ahead of the messages that follow it. */
export type DeviceWelcomeEvent = Omit<WelcomeEvent, 'deviceIds'> & { readonly welcome: string };

/**
 * The newest Welcome per joined conversation that this device has not shown it processed.
 * Welcomes it has shown it used (a cursor at or past the commit) are deleted on the way.
 */
export async function pendingWelcomes(
  deps: Deps,
  viewer: Viewer,
  rows: readonly { welcome: Welcome }[],
  joined: ReadonlyMap<ConversationId, Member>,
  given: ReadonlyMap<ConversationId, number>,
): Promise<Map<ConversationId, DeviceWelcomeEvent>> {
  const welcomes = new Map<ConversationId, DeviceWelcomeEvent>();
  const used: string[] = [];
  for (const { welcome } of rows) {
    const conversationId = welcome.conversationId as ConversationId;
    const cursor = given.get(conversationId);
    if (cursor !== undefined && cursor >= welcome.commitSeq) {
      used.push(welcome.id);
      continue;
    }
    if (!joined.has(conversationId)) continue;
    const newer = welcomes.get(conversationId);
    if (newer && newer.commitSeq > welcome.commitSeq) continue;
    welcomes.set(conversationId, toDeviceWelcome(welcome));
  }
  if (used.length > 0) await forgetWelcomes(deps, viewer, used);
  return welcomes;
}

/** Deletes Welcomes this device has used, and each Welcome that nobody needs any more. */
async function forgetWelcomes(deps: Deps, viewer: Viewer, welcomeIds: string[]): Promise<void> {
  const { prisma } = deps.db;
  await prisma.welcomeRecipient.deleteMany({
    where: { deviceId: viewer.deviceId, welcomeId: { in: welcomeIds } },
  });
  await prisma.welcome.deleteMany({ where: { id: { in: welcomeIds }, recipients: { none: {} } } });
}

export function toDeviceWelcome(row: Welcome): DeviceWelcomeEvent {
  return {
    type: 'welcome',
    conversationId: row.conversationId as ConversationId,
    welcomeId: row.id,
    commitSeq: row.commitSeq,
    epoch: row.epoch,
    welcome: Buffer.from(row.welcome).toString('base64'),
  };
}
