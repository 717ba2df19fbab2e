// Shared (browser and Node). What a message says: the typed, versioned content that travels
// inside the MLS ciphertext, so the server never sees any of it.
//
// Format: one UTF-8 JSON object, bytes as padded base64. The content is small next to MLS's own
// framing, and JSON lets a reader check the envelope of a kind it does not know. Every object
// carries the envelope `version`, `kind`, `id` and `sentAt`, then the fields of its kind:
//
//   {"version":1,"kind":"text","id":"6f1c…","sentAt":1700000000000,"body":"hi"}
//
// A reader that meets a newer version, or a kind or notice it does not know, keeps the bytes as
// an `unsupported` content instead of dropping them: the app shows "unsupported message" and
// decodes the kept bytes again once updated. Readers ignore fields they do not know, so a new
// optional field needs no new version; a change that an older reader would misread does.
// Everything else is checked before the content is returned, and a failure names the field.
import { fromBase64, fromUtf8, toBase64, utf8 } from './bytes.ts';
import { ParleyCryptoError } from './errors.ts';

declare const brand: unique symbol;

/**
 * The id a sender gives a message, which reactions, replies, edits and deletions refer to. A
 * lowercase UUID: ids are compared as strings, so only one spelling of each is accepted.
 */
export type ContentId = string & { readonly [brand]: 'ContentId' };

export const contentVersion = 1;

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

// The range of a JavaScript Date, so that every sentAt can be shown.
const maxTime = 8.64e15;

type Envelope = { readonly id: ContentId; readonly sentAt: number };

export type TextContent = Envelope & { readonly type: 'text'; readonly body: string };

/** A message quoted by a reply, with enough of its text to show when the original is gone. */
export type MessageRef = { readonly id: ContentId; readonly excerpt: string };

export type ReplyContent = Envelope & {
  readonly type: 'reply';
  readonly body: string;
  readonly quote: MessageRef;
};

/** One reaction per sender and message; a later one replaces it, an empty emoji removes it. */
export type ReactionContent = Envelope & {
  readonly type: 'reaction';
  readonly targetId: ContentId;
  readonly emoji: string;
};

/** Receivers apply an edit only when it comes from the original sender. */
export type EditContent = Envelope & {
  readonly type: 'edit';
  readonly targetId: ContentId;
  readonly body: string;
};

/** Deletion for everyone; receivers honour it only when it comes from the original sender. */
export type DeleteContent = Envelope & { readonly type: 'delete'; readonly targetId: ContentId };

export type MediaContent = Envelope & {
  readonly type: 'media';
  /** Where the ciphertext is stored; letters, digits and `._~-` only, so it fits in a URL. */
  readonly fileId: string;
  /** The file's own AES-256-GCM key (see media.ts). */
  readonly key: Uint8Array;
  /** SHA-256 of the whole ciphertext, checked before anything is decrypted. */
  readonly digest: Uint8Array;
  readonly mimeType: string;
  /** Plaintext bytes. */
  readonly size: number;
  readonly fileName?: string;
  /** Images and video; width and height come together. */
  readonly width?: number;
  readonly height?: number;
  /** Audio and video. */
  readonly durationMs?: number;
  /** A small JPEG or WebP shown until the file is downloaded. */
  readonly thumbnail?: Uint8Array;
  readonly caption?: string;
};

/** What a system notice reports; the sender of the notice is the member who did it. */
export type SystemNotice =
  | { readonly notice: 'member_added'; readonly userIds: readonly string[] }
  | { readonly notice: 'member_removed'; readonly userIds: readonly string[] }
  | { readonly notice: 'device_added'; readonly userId: string; readonly deviceId: string }
  | { readonly notice: 'group_renamed'; readonly name: string }
  | { readonly notice: 'safety_number_changed'; readonly userId: string };

export type SystemContent = Envelope & { readonly type: 'system' } & SystemNotice;

/** A valid envelope around a kind, notice or version this code does not know. */
export type UnsupportedContent = Envelope & {
  readonly type: 'unsupported';
  readonly kind: string;
  readonly version: number;
  /** The bytes as received, to decode again after an update. */
  readonly raw: Uint8Array;
};

export type MessageContent =
  | TextContent
  | ReplyContent
  | ReactionContent
  | EditContent
  | DeleteContent
  | MediaContent
  | SystemContent
  | UnsupportedContent;

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

/** The start of a text, cut at a character boundary to fit a quote's excerpt. */
export function excerptOf(text: string): string {
  if (utf8(text).length <= contentLimits.excerptBytes) return text;
  let excerpt = '';
  let bytes = utf8('…').length;
  for (const character of text) {
    bytes += utf8(character).length;
    if (bytes > contentLimits.excerptBytes) break;
    excerpt += character;
  }
  return `${excerpt}…`;
}

/** Refuses (MALFORMED) what decodeContent would refuse, so nothing unreadable is ever sent. */
export function encodeContent(content: MessageContent): Uint8Array {
  if (content.type === 'unsupported') return content.raw.slice();
  const bytes = utf8(JSON.stringify(toWire(content)));
  decodeContent(bytes);
  return bytes;
}

export function decodeContent(bytes: Uint8Array): MessageContent {
  if (bytes.length > contentLimits.encodedBytes) {
    throw new ParleyCryptoError('MALFORMED', 'Content is larger than any valid content.');
  }
  const fields = new Fields(parseObject(bytes), '');

  // The envelope: without it there is nothing the app could even call "unsupported".
  const version = fields.integer('version', 1, Number.MAX_SAFE_INTEGER);
  const kind = fields.word('kind');
  const envelope = { id: fields.messageId('id'), sentAt: fields.integer('sentAt', 0, maxTime) };
  const unsupported = (): UnsupportedContent => {
    return { type: 'unsupported', ...envelope, kind, version, raw: bytes.slice() };
  };
  if (version > contentVersion) return unsupported();

  switch (kind) {
    case 'text':
      return { type: 'text', ...envelope, body: fields.body('body') };
    case 'reply': {
      const quote = fields.object('quote');
      const ref = { id: quote.messageId('id'), excerpt: quote.text('excerpt', 0, excerptRule) };
      return { type: 'reply', ...envelope, body: fields.body('body'), quote: ref };
    }
    case 'reaction': {
      const targetId = fields.messageId('targetId');
      return { type: 'reaction', ...envelope, targetId, emoji: fields.emoji('emoji') };
    }
    case 'edit': {
      const targetId = fields.messageId('targetId');
      return { type: 'edit', ...envelope, targetId, body: fields.body('body') };
    }
    case 'delete':
      return { type: 'delete', ...envelope, targetId: fields.messageId('targetId') };
    case 'media':
      return decodeMedia(fields, envelope);
    case 'system': {
      const notice = decodeNotice(fields);
      return notice ? { type: 'system', ...envelope, ...notice } : unsupported();
    }
    default:
      return unsupported();
  }
}

function decodeMedia(fields: Fields, envelope: Envelope): MediaContent {
  const media: MediaContent = {
    type: 'media',
    ...envelope,
    fileId: fields.text('fileId', 1, fileIdRule),
    key: fields.bytes('key', 32, 32),
    digest: fields.bytes('digest', 32, 32),
    mimeType: fields.text('mimeType', 3, mimeRule),
    size: fields.integer('size', 0, Number.MAX_SAFE_INTEGER),
  };
  const optional = {
    fileName: fields.optional('fileName', (name) => fields.text(name, 1, fileNameRule)),
    width: fields.optional('width', (name) => fields.integer(name, 1, contentLimits.dimension)),
    height: fields.optional('height', (name) => fields.integer(name, 1, contentLimits.dimension)),
    durationMs: fields.optional('durationMs', (name) => {
      return fields.integer(name, 0, Number.MAX_SAFE_INTEGER);
    }),
    thumbnail: fields.optional('thumbnail', (name) => fields.thumbnail(name)),
    caption: fields.optional('caption', (name) => fields.body(name)),
  };
  if ((optional.width === undefined) !== (optional.height === undefined)) {
    const [missing, given] =
      optional.width === undefined ? ['width', 'height'] : ['height', 'width'];
    fields.fail(missing, `given along with ${given}`);
  }
  return { ...media, ...withoutAbsent(optional) };
}

/** Undefined for a notice this code does not know, which is kept as unsupported. */
function decodeNotice(fields: Fields): SystemNotice | undefined {
  const notice = fields.word('notice');
  switch (notice) {
    case 'member_added':
    case 'member_removed':
      return { notice, userIds: fields.userIds('userIds') };
    case 'device_added':
      return { notice, userId: fields.userId('userId'), deviceId: fields.userId('deviceId') };
    case 'group_renamed':
      return { notice, name: fields.text('name', 1, groupNameRule) };
    case 'safety_number_changed':
      return { notice, userId: fields.userId('userId') };
    default:
      return undefined;
  }
}

// Fields are picked one by one rather than spread, so that whatever else an app keeps on its
// objects (a local path, a send status) is never sent to the other members.
function toWire(content: Exclude<MessageContent, UnsupportedContent>): object {
  const { type, id, sentAt } = content;
  const envelope = { version: contentVersion, kind: type, id, sentAt };
  switch (content.type) {
    case 'text':
      return { ...envelope, body: content.body };
    case 'reply':
      return {
        ...envelope,
        body: content.body,
        quote: { id: content.quote.id, excerpt: content.quote.excerpt },
      };
    case 'reaction':
      return { ...envelope, targetId: content.targetId, emoji: content.emoji };
    case 'edit':
      return { ...envelope, targetId: content.targetId, body: content.body };
    case 'delete':
      return { ...envelope, targetId: content.targetId };
    case 'media':
      // JSON leaves out the optional fields that are undefined.
      return {
        ...envelope,
        fileId: content.fileId,
        key: toBase64(content.key),
        digest: toBase64(content.digest),
        mimeType: content.mimeType,
        size: content.size,
        fileName: content.fileName,
        width: content.width,
        height: content.height,
        durationMs: content.durationMs,
        thumbnail: content.thumbnail && toBase64(content.thumbnail),
        caption: content.caption,
      };
    case 'system':
      return { ...envelope, ...noticeFields(content) };
  }
}

function noticeFields(content: SystemContent): SystemNotice {
  switch (content.notice) {
    case 'member_added':
    case 'member_removed':
      return { notice: content.notice, userIds: content.userIds };
    case 'device_added':
      return { notice: content.notice, userId: content.userId, deviceId: content.deviceId };
    case 'group_renamed':
      return { notice: content.notice, name: content.name };
    case 'safety_number_changed':
      return { notice: content.notice, userId: content.userId };
  }
}

type TextRule = {
  readonly maxBytes: number;
  readonly noControls?: true;
  readonly pattern?: RegExp;
  /** What the pattern asks for, in words, for the error message. */
  readonly shape?: string;
};

const bodyRule: TextRule = { maxBytes: contentLimits.bodyBytes };
const excerptRule: TextRule = { maxBytes: contentLimits.excerptBytes };
const groupNameRule: TextRule = { maxBytes: contentLimits.groupNameBytes, noControls: true };
const fileIdRule: TextRule = {
  maxBytes: 128,
  pattern: /^[A-Za-z0-9._~-]+$/,
  shape: 'letters, digits and "._~-" only',
};
// Case-insensitive, as RFC 6838 (section 4.2) has it; parameters such as charset are left out.
const mimeRule: TextRule = {
  maxBytes: contentLimits.mimeTypeBytes,
  pattern: /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i,
  shape: 'a media type such as "image/jpeg"',
};
// A receiver saves the file under this name, so anything that could leave the downloads folder
// (a separator, "..") or hide the real extension (control characters) is refused.
const fileNameRule: TextRule = {
  maxBytes: contentLimits.fileNameBytes,
  noControls: true,
  pattern: /^(?!\.{1,2}$)[^/\\]+$/,
  shape: 'a file name without "/" or "\\", and not "." or ".."',
};
const wordRule: TextRule = { maxBytes: 32, pattern: /^[a-z][a-z0-9_]*$/, shape: 'snake_case' };
// User and device ids as the API writes them (see identity.ts).
const userIdRule: TextRule = { maxBytes: 200, pattern: /^\S+$/, shape: 'an id without spaces' };

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const controlCharacter = /\p{Cc}/u;
// One grapheme with a pictograph, flag letter or keycap in it: what emoji keyboards produce.
const emojiSign = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Reads the fields of one JSON object, failing with MALFORMED and the field's full name. */
class Fields {
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

function parseObject(bytes: Uint8Array): Readonly<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(bytes));
  } catch (cause) {
    throw new ParleyCryptoError('MALFORMED', 'Content is not UTF-8 JSON.', { cause });
  }
  if (!isRecord(value)) throw new ParleyCryptoError('MALFORMED', 'Content is not a JSON object.');
  return value;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** Leaves out absent optional fields, so a decoded content has the same keys as the sent one. */
function withoutAbsent<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
