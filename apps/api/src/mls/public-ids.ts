// Server-only. The ids the public API shows (Relay global ids), which clients also write into
// their MLS credentials and group ids. The Delivery Service compares them with its own rows.
import { encodeGlobalID } from '../graphql/global-id.js';
import type { ConversationId, DeviceId, MessageId, UserId } from '../ids.js';

export const publicUserId = (id: UserId | string) => encodeGlobalID('User', id);
export const publicDeviceId = (id: DeviceId | string) => encodeGlobalID('Device', id);
export const publicConversationId = (id: ConversationId | string) =>
  encodeGlobalID('Conversation', id);
export const publicMessageId = (id: MessageId | string) => encodeGlobalID('Message', id);

/** The MLS group id of a conversation: the bytes of its public id (see @parley/crypto). */
export const groupIdOf = (id: ConversationId) => Buffer.from(publicConversationId(id));
