// Shared (browser and Node). The field-level rules of content.ts: content ids, size limits,
// and a reader that takes untrusted JSON one checked field at a time, failing with MALFORMED and
// the field's full name.
import { fromBase64, fromUtf8, utf8 } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';

declare const brand: unique symbol;

/**
 * The id a sender gives a message, which reactions, replies, edits and deletions refer to. A
 * lowercase UUID: ids are compared as strings, so only one spelling of each is accepted.
 */
export type ContentId = string & { readonly [brand]: 'ContentId' };

export const contentLimits = {
  /** Text of a message, an edit or a caption, in UTF-8 bytes. */
  bodyBytes: 64 * 1024,
  excerptBytes: 512,
  emojiBytes: 64,
  fileNameBytes: 255,
  mimeTypeBytes: 255,
  groupNameBytes: 256,
  /** The inline preview; the MLS encryption protects it, so it needs no key of its own. */
  thumbnailBytes: 16 * 1024,
  dimension: 100_000,
  usersPerNotice: 1_000,
  /** Above the largest valid content once JSON has escaped it (a body of control characters). */
  encodedBytes: 512 * 1024,
} as const;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseContentId(value: string): ContentId {
  if (!uuidPattern.test(value)) {
    throw new ParleyCryptoError('MALFORMED', 'A message id must be a lowercase UUID.');
  }
  return value as ContentId;
}

export function newContentId(): ContentId {
  return crypto.randomUUID() as ContentId;
}

export type TextRule = {
  readonly maxBytes: number;
  readonly noControls?: true;
  readonly pattern?: RegExp;
  /** What the pattern asks for, in words, for the error message. */
  readonly shape?: string;
};

export const bodyRule: TextRule = { maxBytes: contentLimits.bodyBytes };
export const excerptRule: TextRule = { maxBytes: contentLimits.excerptBytes };
export const groupNameRule: TextRule = { maxBytes: contentLimits.groupNameBytes, noControls: true };
export const fileIdRule: TextRule = {
  maxBytes: 128,
  pattern: /^[A-Za-z0-9._~-]+$/,
  shape: 'letters, digits and "._~-" only',
};
// Case-insensitive, as RFC 6838 (section 4.2) has it; parameters such as charset are left out.
export const mimeRule: TextRule = {
  maxBytes: contentLimits.mimeTypeBytes,
  pattern: /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i,
  shape: 'a media type such as "image/jpeg"',
};
// A receiver saves the file under this name, so anything that could leave the downloads folder
// (a separator, "..") or hide the real extension (control characters) is refused.
export const fileNameRule: TextRule = {
  maxBytes: contentLimits.fileNameBytes,
  noControls: true,
  pattern: /^(?!\.{1,2}$)[^/\\]+$/,
  shape: 'a file name without "/" or "\\", and not "." or ".."',
};
export const wordRule: TextRule = {
  maxBytes: 32,
  pattern: /^[a-z][a-z0-9_]*$/,
  shape: 'snake_case',
};
// User and device ids as the API writes them (see identity.ts).
export const userIdRule: TextRule = {
  maxBytes: 200,
  pattern: /^\S+$/,
  shape: 'an id without spaces',
};

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const controlCharacter = /\p{Cc}/u;
// One grapheme with a pictograph, flag letter or keycap in it: what emoji keyboards produce.
const emojiSign = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Reads the fields of one JSON object, failing with MALFORMED and the field's full name. */
export class Fields {
  readonly #record: Readonly<Record<string, unknown>>;
  readonly #prefix: string;

  constructor(record: Readonly<Record<string, unknown>>, prefix: string) {
    this.#record = record;
    this.#prefix = prefix;
  }

  fail(name: string, expectation: string): never {
    const field = `${this.#prefix}${name}`;
    throw new ParleyCryptoError('MALFORMED', `Content field "${field}" must be ${expectation}.`);
  }

  optional<T>(name: string, read: (name: string) => T): T | undefined {
    return Object.hasOwn(this.#record, name) ? read(name) : undefined;
  }

  integer(name: string, min: number, max: number): number {
    const value = this.#value(name);
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
      this.fail(name, `an integer from ${min} to ${max}`);
    }
    return value as number;
  }

  text(name: string, minBytes: number, rule: TextRule): string {
    const value = this.#value(name);
    const expectation = `a string of ${minBytes} to ${rule.maxBytes} UTF-8 bytes`;
    if (typeof value !== 'string' || value.length > rule.maxBytes || loneSurrogate.test(value)) {
      this.fail(name, expectation);
    }
    const length = utf8(value).length;
    if (length < minBytes || length > rule.maxBytes) this.fail(name, expectation);
    if (rule.noControls && controlCharacter.test(value)) this.fail(name, 'free of control codes');
    if (rule.pattern && !rule.pattern.test(value)) this.fail(name, rule.shape ?? 'well-formed');
    return value;
  }

  body(name: string): string {
    return this.text(name, 1, bodyRule);
  }

  /** A lowercase identifier: a kind or a notice. */
  word(name: string): string {
    return this.text(name, 1, wordRule);
  }

  messageId(name: string): ContentId {
    const value = this.#value(name);
    if (typeof value !== 'string' || !uuidPattern.test(value)) this.fail(name, 'a lowercase UUID');
    return value as ContentId;
  }

  userId(name: string): string {
    return this.text(name, 1, userIdRule);
  }

  emoji(name: string): string {
    const value = this.text(name, 0, { maxBytes: contentLimits.emojiBytes });
    const segments = [...graphemes.segment(value)];
    if (value !== '' && (segments.length !== 1 || !emojiSign.test(value))) {
      this.fail(name, 'a single emoji, or empty to remove the reaction');
    }
    return value;
  }

  bytes(name: string, minLength: number, maxLength: number): Uint8Array {
    const value = this.#value(name);
    const decoded =
      typeof value === 'string' && value.length <= Math.ceil(maxLength / 3) * 4
        ? fromBase64(value)
        : undefined;
    if (!decoded || decoded.length < minLength || decoded.length > maxLength) {
      const size = minLength === maxLength ? `${minLength}` : `${minLength} to ${maxLength}`;
      this.fail(name, `base64 of ${size} bytes`);
    }
    return decoded;
  }

  // Only these two formats reach the image decoder, before the user asked for anything.
  thumbnail(name: string): Uint8Array {
    const bytes = this.bytes(name, 12, contentLimits.thumbnailBytes);
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
    const webp = ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP';
    if (!jpeg && !webp) this.fail(name, 'a JPEG or WebP image');
    return bytes;
  }

  object(name: string): Fields {
    const value = this.#value(name);
    if (!isRecord(value)) this.fail(name, 'an object');
    return new Fields(value, `${this.#prefix}${name}.`);
  }

  userIds(name: string): readonly string[] {
    const value = this.#value(name);
    const max = contentLimits.usersPerNotice;
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
      this.fail(name, `a list of 1 to ${max} user ids`);
    }
    // Each item is read as a field named by its index, so an error says "userIds.3".
    const items = new Fields({ ...value }, `${this.#prefix}${name}.`);
    const ids = value.map((_, index) => items.userId(`${index}`));
    if (new Set(ids).size !== ids.length) this.fail(name, 'a list without repeats');
    return ids;
  }

  #value(name: string): unknown {
    return Object.hasOwn(this.#record, name) ? this.#record[name] : undefined;
  }
}

export function parseObject(bytes: Uint8Array): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new ParleyCryptoError('MALFORMED', 'Content is not UTF-8 JSON.', { cause });
  }
  if (!isRecord(value)) throw new ParleyCryptoError('MALFORMED', 'Content is not a JSON object.');
  return value;
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** Leaves out absent optional fields, so a decoded content has the same keys as the sent one. */
export function withoutAbsent<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
