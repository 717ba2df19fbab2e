// Server-only. Where encrypted media lives. Clients encrypt every file (attachments, thumbnails,
// profile photos) with a fresh AES-256-GCM key before uploading it, and send that key inside an
// MLS message, so a store only ever holds ciphertext. Blobs are named by the SHA-256 of their
// bytes: uploading the same ciphertext twice stores it once, and a name never changes meaning,
// which lets any cache keep a blob for good.
import type { Readable } from 'node:stream';

import { ParleyError } from '../errors.js';
import type { MediaId } from '../ids.js';

export type StoredMedia = { readonly id: MediaId; readonly size: number };

export type MediaBlob = {
  readonly size: number;
  /** The bytes from `start` to `end`, both included; the whole blob by default. */
  read(range?: { start: number; end: number }): Readable;
};

/**
 * The local folder is the only implementation so far. An S3-compatible store (see
 * deploy/README.md) implements the same two calls; until then, instances behind a load
 * balancer must share the folder.
 *
 * Nothing is ever deleted: the server cannot tell which messages name a blob (the id travels
 * encrypted), so a blob outlives every message that used it, and storage only grows. Expiry
 * by age, with clients uploading again what they still need, is the likely answer.
 */
export interface MediaStore {
  /**
   * Reads `body` to its end and stores it under its SHA-256. Fails with MEDIA_TOO_LARGE as soon
   * as more than `maxBytes` arrived, leaving `body` unread from there, and with BAD_USER_INPUT
   * for an empty body.
   */
  put(body: Readable, maxBytes: number): Promise<StoredMedia>;
  /** The blob, or undefined when none has that id. */
  get(id: MediaId): Promise<MediaBlob | undefined>;
}

export function mediaTooLarge(maxBytes: number): ParleyError {
  return new ParleyError(
    'MEDIA_TOO_LARGE',
    `Media files are limited to ${maxBytes} bytes; split or compress the file before encrypting.`,
    { maxBytes },
  );
}
