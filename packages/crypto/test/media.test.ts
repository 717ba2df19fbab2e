// Media encryption: files of every size come back whole, whatever the chunking of the bytes in
// and out, and any change to the stored ciphertext (a flipped bit, moved, dropped or cut
// chunks, another key, another digest) is refused.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { concatBytes } from '../src/bytes.ts';
import { isCryptoError } from '../src/errors.ts';
import {
  decryptMedia,
  decryptMediaStream,
  encryptMedia,
  encryptMediaStream,
  type MediaSource,
  mediaChunkBytes,
  mediaCiphertextSize,
  mediaPlaintextSize,
} from '../src/media.ts';

const sealedChunkBytes = mediaChunkBytes + 16;

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  }
  return bytes;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(bytes).digest());
}

/** Cuts bytes into pieces of the given sizes in turn, repeating them until the bytes run out. */
async function* pieces(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.slice(offset, offset + size);
    offset += size;
  }
}

function streamOf(
  chunks: AsyncGenerator<Uint8Array>,
  onCancel?: () => void,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: onCancel,
  });
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

/** The sealed chunks of a ciphertext, so tests can move, drop or change them. */
function sealedChunks(ciphertext: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < ciphertext.length; offset += sealedChunkBytes) {
    chunks.push(ciphertext.slice(offset, offset + sealedChunkBytes));
  }
  return chunks;
}

async function assertRejects(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error) => {
    assert.ok(isCryptoError(error), `expected a ParleyCryptoError, got ${error}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('files of every size', () => {
  const sizes: readonly (readonly [string, number])[] = [
    ['an empty file', 0],
    ['a one-byte file', 1],
    ['a file one byte short of a chunk', mediaChunkBytes - 1],
    ['a file of exactly one chunk', mediaChunkBytes],
    ['a file one byte over a chunk', mediaChunkBytes + 1],
    ['a file of exactly three chunks', 3 * mediaChunkBytes],
    ['a file of many chunks', 9 * mediaChunkBytes + 12_345],
  ];

  for (const [name, size] of sizes) {
    it(`encrypts and decrypts ${name} back to the same bytes`, async () => {
      const plaintext = randomBytes(size);
      const encrypted = await encryptMedia(plaintext);

      assert.equal(encrypted.ciphertext.length, mediaCiphertextSize(size));
      assert.equal(mediaPlaintextSize(encrypted.ciphertext.length), size);
      assert.equal(encrypted.plaintextSize, size);
      assert.deepStrictEqual(encrypted.digest, sha256(encrypted.ciphertext));
      assert.equal(encrypted.key.length, 32);
      assert.deepStrictEqual(await decryptMedia(encrypted.ciphertext, encrypted), plaintext);
    });
  }

  it('gives every file a fresh key, so one file never encrypts the same way twice', async () => {
    const plaintext = randomBytes(1000);
    const first = await encryptMedia(plaintext);
    const second = await encryptMedia(plaintext);
    assert.notDeepStrictEqual(first.key, second.key);
    assert.notDeepStrictEqual(first.ciphertext, second.ciphertext);
  });

  it('does not reveal the plaintext in the ciphertext', async () => {
    const plaintext = new Uint8Array(4096).fill(0x41);
    const { ciphertext } = await encryptMedia(plaintext);
    assert.equal(Buffer.from(ciphertext).includes(Buffer.from(plaintext.subarray(0, 32))), false);
  });
});

describe('streaming', () => {
  const plaintext = randomBytes(5 * mediaChunkBytes + 777);
  const oddSizes = [1, 7, mediaChunkBytes - 1, 3, mediaChunkBytes + 5, 100_003];

  it('encrypts input cut at odd places and decrypts output cut at other odd places', async () => {
    const encryption = encryptMediaStream(pieces(plaintext, oddSizes));
    const ciphertext = concatBytes(...(await collect(encryption.ciphertext)));
    const summary = await encryption.summary;

    assert.deepStrictEqual(summary.digest, sha256(ciphertext));
    assert.equal(summary.plaintextSize, plaintext.length);
    assert.equal(summary.ciphertextSize, ciphertext.length);

    const secrets = { key: encryption.key, digest: summary.digest };
    const output = await collect(decryptMediaStream(pieces(ciphertext, [13, 70_001, 5]), secrets));
    assert.deepStrictEqual(concatBytes(...output), plaintext);
  });

  it('never holds more than a chunk of plaintext in one piece', async () => {
    const encrypted = await encryptMedia(plaintext);
    const wholeCiphertext = decryptMediaStream([encrypted.ciphertext], encrypted);
    const output = await collect(wholeCiphertext);
    assert.equal(output.length, 6);
    assert.ok(output.every((chunk) => chunk.length <= mediaChunkBytes));
  });

  it('reads a ReadableStream, as a browser File or a fetch body gives', async () => {
    const encryption = encryptMediaStream(streamOf(pieces(plaintext, [50_000])));
    const ciphertext = concatBytes(...(await collect(encryption.ciphertext)));
    const secrets = { key: encryption.key, digest: (await encryption.summary).digest };
    const body = streamOf(pieces(ciphertext, [4096]));
    const output = await collect(decryptMediaStream(body, secrets));
    assert.deepStrictEqual(concatBytes(...output), plaintext);
  });

  it('cancels a download stream once a chunk fails, instead of reading the rest', async () => {
    const encrypted = await encryptMedia(plaintext);
    const changed = encrypted.ciphertext.slice();
    changed[5]! ^= 1;
    let cancelled = false;
    const body = streamOf(pieces(changed, [sealedChunkBytes]), () => {
      cancelled = true;
    });
    await assertRejects(collect(decryptMediaStream(body, encrypted)), 'TAMPERED');
    assert.equal(cancelled, true);
  });

  it('copies input chunks, so a source may reuse its buffer', async () => {
    const buffer = new Uint8Array(1000);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      for (let i = 1; i <= 3; i++) {
        buffer.fill(i);
        yield buffer;
      }
    }
    const encryption = encryptMediaStream(reusing());
    const ciphertext = concatBytes(...(await collect(encryption.ciphertext)));
    const secrets = { key: encryption.key, digest: (await encryption.summary).digest };
    const expected = concatBytes(...[1, 2, 3].map((i) => new Uint8Array(1000).fill(i)));
    assert.deepStrictEqual(await decryptMedia(ciphertext, secrets), expected);
  });

  it('lets the ciphertext be read only once', async () => {
    const encryption = encryptMediaStream([randomBytes(10)]);
    await collect(encryption.ciphertext);
    await assertRejects(collect(encryption.ciphertext), 'INVALID_OPERATION');
  });

  it('has no summary when the reader stops before the end', async () => {
    const encryption = encryptMediaStream([randomBytes(3 * mediaChunkBytes)]);
    for await (const _chunk of encryption.ciphertext) break;
    await assertRejects(encryption.summary, 'INVALID_OPERATION');
  });

  it('passes a failing source on to both the reader and the summary', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomBytes(mediaChunkBytes * 2);
      throw new Error('disk unplugged');
    }
    const encryption = encryptMediaStream(failing());
    await assert.rejects(collect(encryption.ciphertext), /disk unplugged/);
    await assert.rejects(encryption.summary, /disk unplugged/);
  });

  it('refuses a source that yields something other than bytes', async () => {
    const encryption = encryptMediaStream(['text' as unknown as Uint8Array]);
    await assertRejects(collect(encryption.ciphertext), 'INVALID_OPERATION');
  });
});

describe('a changed ciphertext', () => {
  const plaintext = randomBytes(3 * mediaChunkBytes + 100);
  const encrypting = encryptMedia(plaintext);

  /** Decrypts a changed ciphertext whose digest an attacker also changed to match. */
  async function openWithMatchingDigest(ciphertext: Uint8Array, source?: MediaSource) {
    const { key } = await encrypting;
    const secrets = { key, digest: sha256(ciphertext) };
    const yielded: Uint8Array[] = [];
    const streaming = (async () => {
      for await (const chunk of decryptMediaStream(source ?? [ciphertext], secrets)) {
        yielded.push(chunk);
      }
    })();
    await assertRejects(streaming, 'TAMPERED');
    await assertRejects(decryptMedia(ciphertext, secrets), 'TAMPERED');
    return yielded;
  }

  it('is refused before decryption when its digest is not the one sent', async () => {
    const { ciphertext, key, digest } = await encrypting;
    const changed = ciphertext.slice();
    changed[70_000]! ^= 1;
    await assertRejects(decryptMedia(changed, { key, digest }), 'DIGEST_MISMATCH');
  });

  it('is refused chunk by chunk with a matching digest, after only the chunks before', async () => {
    const { ciphertext } = await encrypting;
    const changed = ciphertext.slice();
    changed[sealedChunkBytes + 10]! ^= 1;
    const yielded = await openWithMatchingDigest(changed);
    assert.deepStrictEqual(concatBytes(...yielded), plaintext.subarray(0, mediaChunkBytes));
  });

  it('is refused when two chunks swap places', async () => {
    const [first, second, ...rest] = sealedChunks((await encrypting).ciphertext);
    await openWithMatchingDigest(concatBytes(second!, first!, ...rest));
  });

  it('is refused when a chunk in the middle is dropped', async () => {
    const [first, , ...rest] = sealedChunks((await encrypting).ciphertext);
    await openWithMatchingDigest(concatBytes(first!, ...rest));
  });

  it('is refused when cut at a chunk boundary', async () => {
    const chunks = sealedChunks((await encrypting).ciphertext);
    await openWithMatchingDigest(concatBytes(...chunks.slice(0, -1)));
  });

  it('is refused when cut inside a chunk', async () => {
    const { ciphertext } = await encrypting;
    await openWithMatchingDigest(ciphertext.subarray(0, ciphertext.length - 1));
  });

  it('is refused when cut to nothing', async () => {
    await openWithMatchingDigest(new Uint8Array(0));
  });

  it('is refused when a chunk is repeated at the end', async () => {
    const chunks = sealedChunks((await encrypting).ciphertext);
    await openWithMatchingDigest(concatBytes(...chunks, chunks.at(-1)!));
  });

  it('is refused under another key, even with the right digest', async () => {
    const { ciphertext, digest } = await encrypting;
    const secrets = { key: randomBytes(32), digest };
    await assertRejects(decryptMedia(ciphertext, secrets), 'TAMPERED');
    await assertRejects(collect(decryptMediaStream([ciphertext], secrets)), 'TAMPERED');
  });

  it('is refused with another digest before any decryption is attempted', async (t) => {
    const { ciphertext, key } = await encrypting;
    const decrypt = t.mock.method(crypto.subtle, 'decrypt');
    await assertRejects(
      decryptMedia(ciphertext, { key, digest: randomBytes(32) }),
      'DIGEST_MISMATCH',
    );
    assert.equal(decrypt.mock.callCount(), 0);
    // With a wrong key as well, the digest still answers first.
    const wrongBoth = { key: randomBytes(32), digest: randomBytes(32) };
    await assertRejects(decryptMedia(ciphertext, wrongBoth), 'DIGEST_MISMATCH');
    assert.equal(decrypt.mock.callCount(), 0);
    // The spy does see decryptions: with the right digest, every chunk is decrypted.
    await decryptMedia(ciphertext, { key, digest: sha256(ciphertext) });
    assert.equal(decrypt.mock.callCount(), 4);
  });

  it('fails the stream at its end when only the digest is wrong', async () => {
    const { ciphertext, key } = await encrypting;
    const yielded: Uint8Array[] = [];
    const streaming = (async () => {
      const secrets = { key, digest: randomBytes(32) };
      for await (const chunk of decryptMediaStream(pieces(ciphertext, [9999]), secrets)) {
        yielded.push(chunk);
      }
    })();
    await assertRejects(streaming, 'DIGEST_MISMATCH');
    assert.equal(yielded.length, 4);
  });

  it('refuses keys and digests of the wrong length as MALFORMED', async () => {
    const { ciphertext, key, digest } = await encrypting;
    await assertRejects(
      decryptMedia(ciphertext, { key: key.subarray(0, 16), digest }),
      'MALFORMED',
    );
    await assertRejects(decryptMedia(ciphertext, { key, digest: digest.subarray(1) }), 'MALFORMED');
    assert.throws(
      () => decryptMediaStream([ciphertext], { key, digest: new Uint8Array(0) }),
      (error) => isCryptoError(error, 'MALFORMED'),
    );
  });
});

describe('sizes', () => {
  it('adds a 16-byte tag per 64 KiB chunk, and one for an empty file', () => {
    assert.equal(mediaCiphertextSize(0), 16);
    assert.equal(mediaCiphertextSize(1), 17);
    assert.equal(mediaCiphertextSize(mediaChunkBytes), mediaChunkBytes + 16);
    assert.equal(mediaCiphertextSize(mediaChunkBytes + 1), mediaChunkBytes + 33);
    assert.equal(mediaCiphertextSize(100 * 1024 * 1024), 100 * 1024 * 1024 + 1600 * 16);
  });

  it('turns any ciphertext size a file can have back into the file size', () => {
    for (const size of [0, 1, 15, 16, 17, mediaChunkBytes - 1, mediaChunkBytes, 2 ** 40 + 3]) {
      assert.equal(mediaPlaintextSize(mediaCiphertextSize(size)), size);
    }
  });

  it('knows which ciphertext sizes no file has', () => {
    for (const size of [0, 15, sealedChunkBytes + 16, -16, 1.5]) {
      assert.equal(mediaPlaintextSize(size), undefined, `size ${size}`);
    }
  });

  it('refuses sizes that are not whole numbers of bytes', () => {
    for (const size of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(
        () => mediaCiphertextSize(size),
        (e) => isCryptoError(e, 'INVALID_OPERATION'),
      );
    }
  });
});
