// Server-only. Media in a local folder (DATA_DIR/media), the embedded default. An upload is
// written to a temporary file while its hash is computed, then renamed to its hash: a rename
// within one file system is atomic, so a reader sees a whole blob or none, and two uploads of
// the same bytes end in the same file.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { type Readable, Transform } from 'node:stream';

import { badInput } from '../errors.js';
import type { MediaId } from '../ids.js';
import type { Logger } from '../logger.js';
import { type MediaBlob, type MediaStore, mediaTooLarge, type StoredMedia } from './media-store.js';

// An upload cut off by a crash leaves its temporary file behind; one this old is nobody's.
const abandonedAfterMs = 60 * 60 * 1000;

export class LocalMediaStore implements MediaStore {
  readonly #blobs: string;
  readonly #incoming: string;

  private constructor(folder: string) {
    this.#blobs = path.join(folder, 'blobs');
    this.#incoming = path.join(folder, 'incoming');
  }

  /** Creates the folder if needed and removes uploads that a crash abandoned. */
  static async open(folder: string, log: Logger): Promise<LocalMediaStore> {
    const store = new LocalMediaStore(folder);
    await mkdir(store.#blobs, { recursive: true });
    await mkdir(store.#incoming, { recursive: true });
    const removed = await store.#removeAbandoned();
    if (removed > 0) log.info({ removed }, 'removed abandoned media uploads');
    return store;
  }

  async put(body: Readable, maxBytes: number): Promise<StoredMedia> {
    const incoming = path.join(this.#incoming, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(mediaTooLarge(maxBytes));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });

    // `pipe` rather than `pipeline` for the body: when the meter fails, pipe only detaches the
    // body, so the caller can still answer 413 on the request's socket; pipeline would destroy
    // the request and, with it, the socket. A client that goes away mid-upload fails the meter.
    body.pipe(meter);
    finished(body).catch((error: unknown) => meter.destroy(error as Error));
    try {
      await pipeline(meter, createWriteStream(incoming, { flags: 'wx', mode: 0o600 }));
    } catch (error) {
      body.unpipe(meter);
      await rm(incoming, { force: true });
      throw error;
    }

    if (size === 0) {
      await rm(incoming, { force: true });
      throw badInput('The body is empty: send the encrypted file as the request body.');
    }
    const id = hash.digest('hex') as MediaId;
    const target = this.#pathOf(id);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(incoming, target);
    return { id, size };
  }

  async get(id: MediaId): Promise<MediaBlob | undefined> {
    const file = this.#pathOf(id);
    const stats = await stat(file).catch(() => undefined);
    if (!stats?.isFile()) return undefined;
    return {
      size: stats.size,
      read: (range) => createReadStream(file, range ?? {}),
    };
  }

  // Two levels of 256 folders keep each folder small at millions of blobs.
  #pathOf(id: MediaId): string {
    return path.join(this.#blobs, id.slice(0, 2), id.slice(2, 4), id);
  }

  async #removeAbandoned(): Promise<number> {
    const cutoff = Date.now() - abandonedAfterMs;
    let removed = 0;
    for (const name of await readdir(this.#incoming)) {
      const file = path.join(this.#incoming, name);
      const stats = await stat(file).catch(() => undefined);
      if (stats && stats.mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }
}
