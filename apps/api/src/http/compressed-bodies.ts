// Server-only. Brotli and gzip copies of the web app's text files, made on first request and
// kept in memory. The files change only when the app is rebuilt, so each is compressed once per
// version (its path, size and modification time) rather than once per response.
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** The file version a compressed copy was made from. */
export type FileVersion = {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
};

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

// Quality 11 gains a few percent over 9 and costs several times the CPU on a large bundle; the
// first visitor after a deploy waits for it, so the cheaper setting wins.
const brotliQuality = 9;

export class CompressedBodies {
  readonly #entries = new Map<string, Promise<Buffer>>();
  readonly #sizes = new Map<string, number>();
  #bytes = 0;

  /** @param budgetBytes compressed bytes kept in memory; the oldest copies are dropped past it. */
  constructor(readonly budgetBytes = 64 * 1024 * 1024) {}

  /** The file's bytes in `encoding`, compressed at most once per version of the file. */
  get(file: FileVersion, encoding: Encoding): Promise<Buffer> {
    const key = `${encoding}\0${file.path}\0${file.size}\0${file.mtimeMs}`;
    const cached = this.#entries.get(key);
    if (cached) {
      // Map order is insertion order: moving a hit to the end makes eviction least-recent.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }

    const made = compress(file.path, encoding);
    this.#entries.set(key, made);
    made.then(
      (body) => this.#account(key, body.length),
      () => this.#entries.delete(key),
    );
    return made;
  }

  #account(key: string, size: number): void {
    if (!this.#entries.has(key)) return;
    this.#sizes.set(key, size);
    this.#bytes += size;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.budgetBytes || oldest === key) break;
      this.#entries.delete(oldest);
      this.#bytes -= this.#sizes.get(oldest) ?? 0;
      this.#sizes.delete(oldest);
    }
  }
}

async function compress(filePath: string, encoding: Encoding): Promise<Buffer> {
  const plain = await readFile(filePath);
  switch (encoding) {
    case 'br':
      return brotli(plain, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: brotliQuality,
          [constants.BROTLI_PARAM_SIZE_HINT]: plain.length,
        },
      });
    case 'gzip':
      return gzipAsync(plain, { level: 9 });
  }
}

/** The encoding to answer with, from an Accept-Encoding header: brotli first, then gzip. */
export function preferredEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) : 1);
  }
  const allows = (name: Encoding) => {
    const q = accepted.get(name) ?? accepted.get('*');
    return q !== undefined && q > 0;
  };
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return undefined;
}
