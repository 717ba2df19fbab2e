// Server-only producer; the web app's service worker is the consumer. What a push carries to a
// device: a readonly union told apart by `type`, versioned by `v`, with ids as the public API
// gives them. Never plaintext: at most the MLS ciphertext that the device decrypts itself.
import type { Message } from '../generated/prisma/client.ts';
import { publicConversationId, publicDeviceId, publicMessageId } from '../mls/public-ids.js';

/** A stored application message, whole: the service worker can decrypt and show it. */
export type MessagePushPayload = {
  readonly type: 'message';
  readonly v: 1;
  readonly conversationId: string;
  readonly seq: number;
  readonly messageId: string;
  readonly senderDeviceId: string;
  /** The MLS PrivateMessage in standard base64, as `Message.ciphertext` gives it. */
  readonly ciphertext: string;
};

/** Something is waiting in a conversation: the device should connect and catch up. */
export type WakePushPayload = {
  readonly type: 'wake';
  readonly v: 1;
  readonly conversationId: string;
  /** The message's seq, or the seq of the commit whose Welcome awaits the device. */
  readonly seq: number;
  /** `message`: a message too large to carry; `welcome`: the device was added to the group. */
  readonly reason: 'message' | 'welcome';
};

export type PushPayload = MessagePushPayload | WakePushPayload;

/**
 * Push services must accept 4096 octets of body (RFC 8030, section 7.2) and need not accept
 * more. The body is one aes128gcm record (RFC 8291, section 4): an 86-octet header (salt,
 * record size, key id length, the sender's public key), the plaintext, one padding delimiter
 * octet and a 16-octet tag.
 */
export const maxPushBodyBytes = 4096;
const recordOverheadBytes = 86 + 1 + 16;

/** The payload for a stored message: whole when it fits in one push, else a wake-up. */
export function messagePushPayload(message: Message): PushPayload {
  const whole: MessagePushPayload = {
    type: 'message',
    v: 1,
    conversationId: publicConversationId(message.conversationId),
    seq: message.seq,
    messageId: publicMessageId(message.id),
    senderDeviceId: publicDeviceId(message.senderDeviceId),
    ciphertext: Buffer.from(message.ciphertext).toString('base64'),
  };
  const size = Buffer.byteLength(JSON.stringify(whole)) + recordOverheadBytes;
  if (size <= maxPushBodyBytes) return whole;
  return wakePushPayload(message.conversationId, message.seq, 'message');
}

export function wakePushPayload(
  conversationId: string,
  seq: number,
  reason: WakePushPayload['reason'],
): WakePushPayload {
  return { type: 'wake', v: 1, conversationId: publicConversationId(conversationId), seq, reason };
}
