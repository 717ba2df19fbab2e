// Shared (browser and Node). Media files, encrypted on the sender's device before upload, so the
// server stores and serves only ciphertext. The key and digest travel inside the MLS message.
//
// Construction: each file gets a fresh random AES-256-GCM key, used for that file only. The
// plaintext is cut into 64 KiB chunks, each sealed on its own (its ciphertext, then a 16-byte
// tag), so a file of any size is encrypted and decrypted in bounded memory. Chunk i's 12-byte
// nonce is
//
//   7 zero bytes || i as a big-endian uint32 || 1 for the last chunk, else 0
//
// as in the STREAM construction (Hoang, Reyhanitabar, Rogaway and Vizár, CRYPTO 2015). The
// index stops chunks from being moved or dropped, and the flag stops the file from being cut at
// a chunk boundary; every file has a last chunk (an empty file is one empty chunk), so it cannot
// be cut to nothing either. Counters are safe as nonces only because a key seals one file:
// this module makes each key itself and accepts none for encryption.
//
// The ciphertext is the sealed chunks back to back, with no header. Its SHA-256 is computed as
// the chunks go by; a receiver compares it with the digest in the MLS message, which pins the
// exact file the sender meant even though the server chose what to serve.
import { sha256 } from '@noble/hashes/sha2.js';

import { equalBytes } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';

export const mediaChunkBytes = 64 * 1024;

const keyBytes = 32;
const digestBytes = 32;
const tagBytes = 16;
const sealedChunkBytes = mediaChunkBytes + tagBytes;
const maxChunks = 2 ** 32;

/**
 * Plaintext or ciphertext arriving in chunks of any size: a file's `stream()`, a fetch body, a
 * Node stream, or an array of byte arrays. Chunks are copied as they arrive, so a source may
 * reuse its buffers.
 */
export type MediaSource =
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | ReadableStream<Uint8Array>;

/** What a receiver needs to open a file; both go inside the MLS message (see content.ts). */
export type MediaSecrets = { readonly key: Uint8Array; readonly digest: Uint8Array };

export type EncryptedMediaSummary = {
  /** SHA-256 of the whole ciphertext. */
  readonly digest: Uint8Array;
  readonly plaintextSize: number;
  readonly ciphertextSize: number;
};

export type MediaEncryption = {
  /** The file's fresh key, known before the first byte is read. */
  readonly key: Uint8Array;
  /** The ciphertext in upload order. Read it once, to the end. */
  readonly ciphertext: AsyncIterable<Uint8Array>;
  /**
   * Settles once `ciphertext` has been read: the digest and sizes, or the error that stopped it
   * (INVALID_OPERATION if the reader stopped early).
   */
  readonly summary: Promise<EncryptedMediaSummary>;
};

export type EncryptedMedia = MediaSecrets & {
  readonly ciphertext: Uint8Array;
  readonly plaintextSize: number;
};

/** The upload size of a file of `plaintextSize` bytes, to check limits before encrypting. */
export function mediaCiphertextSize(plaintextSize: number): number {
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'A file size is a whole number of bytes.');
  }
  const chunks = Math.max(1, Math.ceil(plaintextSize / mediaChunkBytes));
  return plaintextSize + chunks * tagBytes;
}

/** The file size behind a ciphertext of this many bytes, or undefined if none encrypts to it. */
export function mediaPlaintextSize(ciphertextSize: number): number | undefined {
  if (!Number.isSafeInteger(ciphertextSize) || ciphertextSize < tagBytes) return undefined;
  const chunks = Math.ceil(ciphertextSize / sealedChunkBytes);
  const lastChunk = ciphertextSize - (chunks - 1) * sealedChunkBytes;
  // Only an empty file ends with a chunk that is nothing but its tag.
  if (chunks > 1 && lastChunk === tagBytes) return undefined;
  return ciphertextSize - chunks * tagBytes;
}

export function encryptMediaStream(source: MediaSource): MediaEncryption {
  const key = crypto.getRandomValues(new Uint8Array(keyBytes));
  let settle: { resolve(summary: EncryptedMediaSummary): void; reject(error: unknown): void };
  const summary = new Promise<EncryptedMediaSummary>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A caller that only reads the ciphertext sees the failure there; this one must not go unheard.
  void summary.catch(() => undefined);

  async function* seal(): AsyncGenerator<Uint8Array> {
    try {
      const aes = await importKey(key, 'encrypt');
      const hash = sha256.create();
      let index = 0;
      let plaintextSize = 0;
      let ciphertextSize = 0;
      for await (const { bytes, last } of fixedChunks(source, mediaChunkBytes)) {
        const iv = nonceFor(index, last);
        const sealed = new Uint8Array(
          await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, bytes),
        );
        hash.update(sealed);
        index += 1;
        plaintextSize += bytes.length;
        ciphertextSize += sealed.length;
        yield sealed;
      }
      settle.resolve({ digest: hash.digest(), plaintextSize, ciphertextSize });
    } catch (error) {
      settle.reject(error);
      throw error;
    } finally {
      // Does nothing once settled; otherwise the reader broke off and there is no digest.
      settle.reject(
        new ParleyCryptoError('INVALID_OPERATION', 'The ciphertext was not read to its end.'),
      );
    }
  }

  let read = false;
  const ciphertext: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]() {
      if (read) {
        throw new ParleyCryptoError('INVALID_OPERATION', 'A media ciphertext can be read once.');
      }
      read = true;
      return seal();
    },
  };
  return { key, ciphertext, summary };
}

export async function encryptMedia(plaintext: Uint8Array): Promise<EncryptedMedia> {
  const { key, ciphertext, summary } = encryptMediaStream([plaintext]);
  const out = new Uint8Array(mediaCiphertextSize(plaintext.length));
  let offset = 0;
  for await (const chunk of ciphertext) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  const { digest } = await summary;
  return { ciphertext: out, key, digest, plaintextSize: plaintext.length };
}

/**
 * Yields the plaintext chunk by chunk, each only once it is authenticated, and checks the digest
 * after the last one. A failure (TAMPERED, DIGEST_MISMATCH) can come after some chunks were
 * yielded: those are the sender's bytes, but the file is not the one the message named, so a
 * caller writing to disk deletes what it wrote.
 */
export function decryptMediaStream(
  source: MediaSource,
  secrets: MediaSecrets,
): AsyncIterable<Uint8Array> {
  checkSecrets(secrets);
  return open(source, secrets.key, secrets.digest);
}

/** Checks the digest before decrypting anything, so nothing at all comes from a wrong file. */
export async function decryptMedia(
  ciphertext: Uint8Array,
  secrets: MediaSecrets,
): Promise<Uint8Array> {
  checkSecrets(secrets);
  if (!equalBytes(sha256(ciphertext), secrets.digest)) throw digestMismatch();
  const size = mediaPlaintextSize(ciphertext.length);
  if (size === undefined) {
    throw new ParleyCryptoError('TAMPERED', `No file encrypts to ${ciphertext.length} bytes.`);
  }

  const plaintext = new Uint8Array(size);
  let offset = 0;
  for await (const chunk of open([ciphertext], secrets.key, undefined)) {
    plaintext.set(chunk, offset);
    offset += chunk.length;
  }
  return plaintext;
}

/** Decrypts sealed chunks in order; compares the ciphertext's digest at the end if given one. */
async function* open(
  source: MediaSource,
  key: Uint8Array,
  digest: Uint8Array | undefined,
): AsyncGenerator<Uint8Array> {
  const aes = await importKey(key, 'decrypt');
  const hash = sha256.create();
  let index = 0;
  for await (const { bytes, last } of fixedChunks(source, sealedChunkBytes)) {
    if (bytes.length < tagBytes) {
      throw new ParleyCryptoError('TAMPERED', 'The media file ends in the middle of a chunk.');
    }
    if (digest) hash.update(bytes);
    let plaintext: ArrayBuffer;
    try {
      const iv = nonceFor(index, last);
      plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, aes, bytes);
    } catch (cause) {
      throw new ParleyCryptoError(
        'TAMPERED',
        `Chunk ${index} of the media file fails authentication: it was changed, moved or cut, ` +
          'or the key is not this file’s.',
        { cause },
      );
    }
    index += 1;
    if (plaintext.byteLength > 0) yield new Uint8Array(plaintext);
  }
  if (digest && !equalBytes(hash.digest(), digest)) throw digestMismatch();
}

/**
 * Re-cuts a source into chunks of exactly `size` bytes but the last, which holds the rest (and is
 * empty only if the whole source is). A full chunk is held back until more bytes arrive, since
 * only the end of the source tells whether it was the last.
 */
async function* fixedChunks(
  source: MediaSource,
  size: number,
): AsyncGenerator<{ readonly bytes: Uint8Array<ArrayBuffer>; readonly last: boolean }> {
  let pending = new Uint8Array(size);
  let filled = 0;
  for await (const input of chunksOf(source)) {
    if (!(input instanceof Uint8Array)) {
      throw new ParleyCryptoError('INVALID_OPERATION', 'A media source must yield Uint8Arrays.');
    }
    let offset = 0;
    while (offset < input.length) {
      if (filled === size) {
        yield { bytes: pending, last: false };
        pending = new Uint8Array(size);
        filled = 0;
      }
      const take = Math.min(size - filled, input.length - offset);
      pending.set(input.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
    }
  }
  yield { bytes: pending.subarray(0, filled), last: true };
}

async function* chunksOf(source: MediaSource): AsyncGenerator<unknown> {
  if (!isReadableStream(source)) {
    yield* source;
    return;
  }
  // Through a reader, because not every browser makes ReadableStream async-iterable yet.
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } finally {
    // Stopped early (a failed chunk, a reader that broke off): the rest is not wanted.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function isReadableStream(source: MediaSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

function nonceFor(index: number, last: boolean): Uint8Array<ArrayBuffer> {
  if (index >= maxChunks) {
    throw new ParleyCryptoError('INVALID_OPERATION', 'A media file has at most 2^32 chunks.');
  }
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setUint32(7, index);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

function importKey(key: Uint8Array, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new Uint8Array(key), 'AES-GCM', false, [usage]);
}

function checkSecrets(secrets: MediaSecrets): void {
  if (secrets.key.length !== keyBytes) {
    throw new ParleyCryptoError('MALFORMED', `A media key is ${keyBytes} bytes.`);
  }
  if (secrets.digest.length !== digestBytes) {
    throw new ParleyCryptoError('MALFORMED', `A media digest is ${digestBytes} bytes.`);
  }
}

function digestMismatch(): ParleyCryptoError {
  return new ParleyCryptoError(
    'DIGEST_MISMATCH',
    'The media file is not the one the message names: its SHA-256 differs.',
  );
}
