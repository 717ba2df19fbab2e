// Reads JSON that came from outside this process (API responses, events, the state file) one
// field at a time, so nothing uses a value before its type is known. A wrong field fails with
// its full path, which is what one needs to see when a server and a client disagree.
import { fromBase64 } from '@parley/crypto';

import { ProtocolError } from './errors.ts';

export class WireReader {
  readonly #record: Readonly<Record<string, unknown>>;
  readonly #path: string;

  constructor(value: unknown, path: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ProtocolError(`${path} must be an object.`);
    }
    this.#record = value as Readonly<Record<string, unknown>>;
    this.#path = path;
  }

  string(name: string): string {
    const value = this.#value(name);
    if (typeof value !== 'string' || value === '') this.#fail(name, 'a non-empty string');
    return value;
  }

  integer(name: string): number {
    const value = this.#value(name);
    if (!Number.isSafeInteger(value) || (value as number) < 0) {
      this.#fail(name, 'a non-negative integer');
    }
    return value as number;
  }

  nullableInteger(name: string): number | null {
    return this.#value(name) === null ? null : this.integer(name);
  }

  boolean(name: string): boolean {
    const value = this.#value(name);
    if (typeof value !== 'boolean') this.#fail(name, 'true or false');
    return value;
  }

  /** The API's `Bytes` scalar: standard base64 with padding. */
  bytes(name: string): Uint8Array {
    const bytes = fromBase64(this.string(name));
    if (!bytes) this.#fail(name, 'padded base64');
    return bytes;
  }

  nullableBytes(name: string): Uint8Array | null {
    return this.#value(name) === null ? null : this.bytes(name);
  }

  oneOf<const T extends string>(name: string, values: readonly T[]): T {
    const value = this.#value(name);
    if (!values.includes(value as T)) this.#fail(name, `one of ${values.join(', ')}`);
    return value as T;
  }

  object(name: string): WireReader {
    return new WireReader(this.#value(name), `${this.#path}.${name}`);
  }

  nullableObject(name: string): WireReader | null {
    return this.#value(name) === null ? null : this.object(name);
  }

  list(name: string): WireReader[] {
    const value = this.#value(name);
    if (!Array.isArray(value)) this.#fail(name, 'a list');
    return value.map((item, index) => new WireReader(item, `${this.#path}.${name}.${index}`));
  }

  #value(name: string): unknown {
    return Object.hasOwn(this.#record, name) ? this.#record[name] : undefined;
  }

  #fail(name: string, expectation: string): never {
    throw new ProtocolError(`${this.#path}.${name} must be ${expectation}.`);
  }
}
