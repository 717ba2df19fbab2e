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
import { toBase64, utf8 } from './bytes.ts';
import {
  contentLimits,
  excerptRule,
  Fields,
  fileIdRule,
  fileNameRule,
  groupNameRule,
  mimeRule,
  parseObject,
  withoutAbsent,
  type ContentId,
} from './content-fields.ts';
import { ParleyCryptoError } from './errors.ts';

export {
  contentLimits,
  newContentId,
  parseContentId,
  type ContentId,
} from './content-fields.ts';

export const contentVersion = 1;

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
