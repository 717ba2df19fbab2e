// Shared (browser and Node). What the Delivery Service may read of an MLS message without any
// key: the framing header of a PrivateMessage (RFC 9420, section 6.3), which names the group,
// the epoch and the content type in the clear so that a server can order and route it.
import { decodeMlsMessage } from 'ts-mls';

import { ParleyCryptoError } from './errors.ts';

export type HandshakeHeader = {
  readonly groupId: Uint8Array;
  readonly epoch: number;
  readonly contentType: 'application' | 'proposal' | 'commit';
};

export function readHandshakeHeader(bytes: Uint8Array): HandshakeHeader {
  let decoded: ReturnType<typeof decodeMlsMessage>;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (cause) {
    throw new ParleyCryptoError('MALFORMED', 'These bytes are not an MLS message.', { cause });
  }
  if (!decoded || decoded[1] !== bytes.length) {
    throw new ParleyCryptoError('MALFORMED', 'These bytes are not an MLS message.');
  }
  const message = decoded[0];
  if (message.wireformat !== 'mls_private_message') {
    throw new ParleyCryptoError('MALFORMED', 'Expected an MLS private message.');
  }
  const { groupId, epoch, contentType } = message.privateMessage;
  if (epoch > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ParleyCryptoError('MALFORMED', 'The epoch is out of range.');
  }
  return { groupId, epoch: Number(epoch), contentType };
}

/** Whether the bytes are one whole MLSMessage holding a Welcome; the server checks no more. */
export function isWelcome(bytes: Uint8Array): boolean {
  try {
    const decoded = decodeMlsMessage(bytes, 0);
    return (
      decoded !== undefined &&
      decoded[1] === bytes.length &&
      decoded[0].wireformat === 'mls_welcome'
    );
  } catch {
    return false;
  }
}
