// Server-only. The ids the public API shows (Relay global ids), which clients also write into
// their MLS credentials and group ids. The Delivery Service compares them with its own rows.
import type { ConversationId, DeviceId, UserId } from '../ids.js';

const globalId = (typename: string, id: string) =>
  Buffer.from(`${typename}:${id}`).toString('base64');

export const publicUserId = (id: UserId | string) => globalId('User', id);
export const publicDeviceId = (id: DeviceId | string) => globalId('Device', id);
export const publicConversationId = (id: ConversationId | string) => globalId('Conversation', id);

/** The MLS group id of a conversation: the bytes of its public id (see @parley/crypto). */
export const groupIdOf = (id: ConversationId) => Buffer.from(publicConversationId(id));
