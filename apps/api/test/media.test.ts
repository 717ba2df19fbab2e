// Media blobs over HTTP: a signed-in device uploads a file it encrypted, gets back the file's
// SHA-256 as its id, and anyone holding that id (and, to read it, the key from the MLS message)
// downloads it, cached for good. Over-large, anonymous, empty and too frequent uploads are
// refused with the same typed errors as GraphQL's.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';

import { decryptMedia, encryptMedia } from '@parley/crypto';

import { type GraphQLResponse, ok, signUp, startCluster } from './support/harness.js';

const maxMediaBytes = 256 * 1024;
const cluster = await startCluster({
  env: { MAX_MEDIA_BYTES: String(maxMediaBytes) },
  limits: { mediaUploadsPerDevice: { limit: 1_000, windowMs: 60_000 } },
});
const server = cluster.servers[0]!;
const alice = await signUp(cluster);
const mediaFolder = path.join(cluster.database.dataDir, 'media');

function upload(body: BodyInit, token: string | null = alice.token, init: RequestInit = {}) {
  return fetch(`${server.url}/media`, {
    method: 'POST',
    headers: {
      'content-type': 'application/octet-stream',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body,
    ...init,
  });
}

async function errorOf(response: Response): Promise<{ code?: string; message: string }> {
  const body = (await response.json()) as GraphQLResponse;
  assert.equal(body.errors?.length, 1);
  return { code: body.errors![0]!.extensions?.code, message: body.errors![0]!.message };
}

/** Every file under DATA_DIR/media, to see what an upload left behind. */
async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('an upload', () => {
  it('round-trips an encrypted file: its id is its digest, and the download decrypts', async () => {
    // Two chunks of the media format, the second one partial.
    const photo = new Uint8Array(randomBytes(100_000));
    const encrypted = await encryptMedia(photo);

    const response = await upload(new Uint8Array(encrypted.ciphertext));
    assert.equal(response.status, 201);
    const stored = (await response.json()) as { id: string; size: number };
    assert.deepEqual(stored, {
      id: Buffer.from(encrypted.digest).toString('hex'),
      size: encrypted.ciphertext.length,
    });
    assert.equal(response.headers.get('location'), `/media/${stored.id}`);

    const download = await fetch(`${server.url}/media/${stored.id}`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/octet-stream');
    assert.equal(download.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(download.headers.get('content-length'), String(encrypted.ciphertext.length));
    const ciphertext = new Uint8Array(await download.arrayBuffer());
    assert.deepEqual(await decryptMedia(ciphertext, encrypted), photo);
  });

  it('stores the same bytes once, however often they are uploaded', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(5_000));
    const ids = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await upload(bytes);
      assert.equal(response.status, 201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    assert.deepEqual(ids, [sha256Hex(bytes), sha256Hex(bytes), sha256Hex(bytes)]);
    const copies = (await filesIn(mediaFolder)).filter((name) => name === sha256Hex(bytes));
    assert.equal(copies.length, 1);
  });

  it('is accepted when streamed without a declared length', async () => {
    const chunks = [new Uint8Array(10_000).fill(1), new Uint8Array(20_000).fill(2)];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await upload(body, alice.token, { duplex: 'half' } as RequestInit);
    assert.equal(response.status, 201);
    const whole = Buffer.concat(chunks);
    assert.deepEqual(await response.json(), { id: sha256Hex(whole), size: whole.length });
  });
});

describe('a refused upload', () => {
  it('needs a device token', async () => {
    const anonymous = await upload(new Uint8Array(10), null);
    assert.equal(anonymous.status, 401);
    assert.equal((await errorOf(anonymous)).code, 'UNAUTHENTICATED');
    const unknown = await upload(new Uint8Array(10), `pdt_${'x'.repeat(43)}`);
    assert.equal(unknown.status, 401);
    assert.equal((await errorOf(unknown)).code, 'UNAUTHENTICATED');
  });

  it('fails for a revoked device', async () => {
    const bob = await signUp(cluster);
    await ok(
      server,
      'mutation($d: ID!) { revokeDevice(input: { deviceId: $d }) { id } }',
      { d: bob.deviceId },
      bob.token,
    );
    const response = await upload(new Uint8Array(10), bob.token);
    assert.equal(response.status, 401);
    assert.equal((await errorOf(response)).code, 'DEVICE_REVOKED');
  });

  it('is answered 413 when its declared length is over MAX_MEDIA_BYTES', async () => {
    const response = await upload(new Uint8Array(maxMediaBytes + 1));
    assert.equal(response.status, 413);
    const error = await errorOf(response);
    assert.equal(error.code, 'MEDIA_TOO_LARGE');
    assert.match(error.message, new RegExp(String(maxMediaBytes)));
  });

  it('is answered 413 once a streamed body passes the limit, and leaves no file', async () => {
    const before = await filesIn(mediaFolder);
    const chunk = new Uint8Array(64 * 1024).fill(7);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit: the server must not wait for the end.
        if (sent > maxMediaBytes * 20) controller.close();
        else controller.enqueue(chunk);
        sent += chunk.length;
      },
    });
    const response = await upload(body, alice.token, { duplex: 'half' } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal((await errorOf(response)).code, 'MEDIA_TOO_LARGE');
    assert.deepEqual(await filesIn(mediaFolder), before);
  });

  it('is refused when empty', async () => {
    const response = await upload(new Uint8Array(0));
    assert.equal(response.status, 400);
    assert.equal((await errorOf(response)).code, 'BAD_USER_INPUT');
  });

  it('is refused past the per-device rate, with when to retry', async () => {
    const strict = await startCluster({
      limits: { mediaUploadsPerDevice: { limit: 2, windowMs: 60_000 } },
    });
    const carol = await signUp(strict);
    const post = () =>
      fetch(`${strict.servers[0]!.url}/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${carol.token}` },
        body: new Uint8Array([1, 2, 3]),
      });
    assert.equal((await post()).status, 201);
    assert.equal((await post()).status, 201);
    const refused = await post();
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal((await errorOf(refused)).code, 'RATE_LIMITED');
  });
});

describe('a download', () => {
  it('answers 400 INVALID_ID to an id that is not a SHA-256, 404 to an unknown one', async () => {
    for (const bad of ['abc', 'z'.repeat(64), `${'a'.repeat(64)}/x`, '..%2f..%2fsecret']) {
      const response = await fetch(`${server.url}/media/${bad}`);
      assert.equal(response.status, 400, bad);
      assert.equal((await errorOf(response)).code, 'INVALID_ID');
    }
    const missing = await fetch(`${server.url}/media/${'0'.repeat(64)}`);
    assert.equal(missing.status, 404);
    assert.equal((await errorOf(missing)).code, 'NOT_FOUND');
  });

  it('revalidates with its id as the ETag, and serves byte ranges for resuming', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(3_000));
    const { id } = (await (await upload(bytes)).json()) as { id: string };
    const url = `${server.url}/media/${id}`;

    const cached = await fetch(url, { headers: { 'if-none-match': `"${id}"` } });
    assert.equal(cached.status, 304);

    const tail = await fetch(url, { headers: { range: 'bytes=1000-' } });
    assert.equal(tail.status, 206);
    assert.equal(tail.headers.get('content-range'), `bytes 1000-2999/3000`);
    assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), bytes.subarray(1000));

    const past = await fetch(url, { headers: { range: 'bytes=5000-' } });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), 'bytes */3000');

    const head = await fetch(url, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), '3000');
    assert.equal(await head.text(), '');
  });

  it('is refused for any other method', async () => {
    const response = await fetch(`${server.url}/media/${'0'.repeat(64)}`, { method: 'DELETE' });
    assert.equal(response.status, 400);
    assert.equal((await errorOf(response)).code, 'BAD_USER_INPUT');
  });
});
