// Shared (browser and Node). A small length-prefixed binary form for the state this package
// keeps (device keys, groups), so that it can go into IndexedDB or a file and come back. Every
// blob starts with a four-byte tag and a version, so a reader refuses what it does not know
// instead of misreading it.
import { fromUtf8, utf8 } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';

export class StateWriter {
  readonly #parts: Uint8Array[] = [];
  #length = 0;

  constructor(tag: string, version: number) {
    this.#push(utf8(tag));
    this.u32(version);
  }

  u32(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value);
    return this.#push(bytes);
  }

  bytes(value: Uint8Array): this {
    this.u32(value.length);
    return this.#push(value);
  }

  text(value: string): this {
    return this.bytes(utf8(value));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const part of this.#parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  #push(bytes: Uint8Array): this {
    this.#parts.push(bytes);
    this.#length += bytes.length;
    return this;
  }
}

export class StateReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #what: string;
  #offset = 0;
  /** The version the blob was written with, for readers that accept older ones. */
  readonly version: number;

  /** Refuses a blob with another tag, or written by a newer version than `maxVersion`. */
  constructor(bytes: Uint8Array, tag: string, maxVersion: number, what: string) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#what = what;
    const found = this.#take(4);
    if (fromUtf8Lenient(found) !== tag) {
      throw new ParleyCryptoError('MALFORMED', `These bytes are not a serialised ${what}.`);
    }
    this.version = this.u32();
    if (this.version === 0 || this.version > maxVersion) {
      throw new ParleyCryptoError(
        'UNSUPPORTED_VERSION',
        `This ${what} was written by version ${this.version}; this code reads up to ${maxVersion}.`,
      );
    }
  }

  u32(): number {
    const value = this.#view.getUint32(this.#offsetFor(4));
    return value;
  }

  bytes(): Uint8Array {
    const length = this.u32();
    return this.#take(length).slice();
  }

  text(): string {
    try {
      return fromUtf8(this.bytes());
    } catch (cause) {
      throw new ParleyCryptoError('MALFORMED', `The ${this.#what} holds invalid text.`, { cause });
    }
  }

  /** Call after the last field: trailing bytes mean the blob is not what it claims. */
  end(): void {
    if (this.#offset !== this.#bytes.length) {
      throw new ParleyCryptoError('MALFORMED', `The ${this.#what} has unexpected trailing bytes.`);
    }
  }

  #take(length: number): Uint8Array {
    const start = this.#offsetFor(length);
    return this.#bytes.subarray(start, start + length);
  }

  #offsetFor(length: number): number {
    const start = this.#offset;
    if (start + length > this.#bytes.length) {
      throw new ParleyCryptoError('MALFORMED', `The ${this.#what} is truncated.`);
    }
    this.#offset = start + length;
    return start;
  }
}

function fromUtf8Lenient(bytes: Uint8Array): string {
  try {
    return fromUtf8(bytes);
  } catch {
    return '';
  }
}
