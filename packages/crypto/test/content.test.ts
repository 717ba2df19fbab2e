// The content inside MLS messages: every kind arrives as it was sent, anything malformed is
// refused with the field named, and what this version does not know is kept rather than lost.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fromUtf8, toBase64, utf8 } from '../src/bytes.ts';
import {
  contentLimits,
  decodeContent,
  encodeContent,
  excerptOf,
  type MediaContent,
  type MessageContent,
  newContentId,
  parseContentId,
} from '../src/content.ts';
import { isCryptoError } from '../src/errors.ts';

const sentAt = 1_700_000_000_000;
const targetId = newContentId();
const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1);
const webp = utf8('RIFF\u0024\u0000\u0000\u0000WEBPVP8 ');

const text: MessageContent = { type: 'text', id: newContentId(), sentAt, body: 'Hello, Bob 👋' };
const reply: MessageContent = {
  type: 'reply',
  id: newContentId(),
  sentAt,
  body: 'Yes, at eight.',
  quote: { id: targetId, excerpt: 'Dinner tonight?' },
};
const reaction: MessageContent = {
  type: 'reaction',
  id: newContentId(),
  sentAt,
  targetId,
  emoji: '👍',
};
const edit: MessageContent = {
  type: 'edit',
  id: newContentId(),
  sentAt,
  targetId,
  body: 'At nine.',
};
const deletion: MessageContent = { type: 'delete', id: newContentId(), sentAt, targetId };
const fullMedia: MediaContent = {
  type: 'media',
  id: newContentId(),
  sentAt,
  fileId: 'f3c1a2b4e5d6.bin',
  key: crypto.getRandomValues(new Uint8Array(32)),
  digest: crypto.getRandomValues(new Uint8Array(32)),
  mimeType: 'video/mp4',
  size: 12_345_678,
  fileName: 'Holiday clip.mp4',
  width: 1920,
  height: 1080,
  durationMs: 61_500,
  thumbnail: jpeg,
  caption: 'The beach',
};
const bareMedia: MessageContent = {
  type: 'media',
  id: newContentId(),
  sentAt,
  fileId: 'abc',
  key: new Uint8Array(32).fill(1),
  digest: new Uint8Array(32).fill(2),
  mimeType: 'application/pdf',
  size: 0,
};
const memberAdded: MessageContent = {
  type: 'system',
  id: newContentId(),
  sentAt,
  notice: 'member_added',
  userIds: ['VXNlcjox', 'VXNlcjoy'],
};

/** A wire form with one field (a dotted path) replaced, or removed when `value` is undefined. */
function withField(source: MessageContent | Uint8Array, path: string, value: unknown): Uint8Array {
  const bytes = source instanceof Uint8Array ? source : encodeContent(source);
  const wire = JSON.parse(fromUtf8(bytes));
  const keys = path.split('.');
  let target = wire;
  for (const key of keys.slice(0, -1)) target = target[key];
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return utf8(JSON.stringify(wire));
}

function assertMalformed(decode: () => unknown, field: string): void {
  assert.throws(decode, (error) => {
    assert.ok(isCryptoError(error, 'MALFORMED'), `expected MALFORMED, got ${error}`);
    assert.match(error.message, new RegExp(`"${field.replace('.', '\\.')}"`));
    return true;
  });
}

describe('content round trips', () => {
  const contents: readonly (readonly [string, MessageContent])[] = [
    ['a text', text],
    ['a reply with its quote', reply],
    ['a reaction', reaction],
    ['a reaction removed with an empty emoji', { ...reaction, emoji: '' }],
    ['an edit', edit],
    ['a deletion for everyone', deletion],
    ['a media message with every optional field', fullMedia],
    ['a media message with none of them', bareMedia],
    ['a media message with a WebP thumbnail', { ...fullMedia, thumbnail: webp }],
    ['a member-added notice', memberAdded],
    [
      'a member-removed notice',
      { ...memberAdded, notice: 'member_removed', userIds: ['VXM6Mw=='] },
    ],
    [
      'a device-added notice',
      {
        type: 'system',
        id: newContentId(),
        sentAt,
        notice: 'device_added',
        userId: 'VXNlcjox',
        deviceId: 'RGV2aWNlOjE=',
      },
    ],
    [
      'a group-renamed notice',
      { type: 'system', id: newContentId(), sentAt, notice: 'group_renamed', name: 'Book club 📚' },
    ],
    [
      'a safety-number-changed notice',
      { type: 'system', id: newContentId(), sentAt, notice: 'safety_number_changed', userId: 'x' },
    ],
  ];

  for (const [name, content] of contents) {
    it(`brings back ${name} exactly as sent`, () => {
      assert.deepStrictEqual(decodeContent(encodeContent(content)), content);
    });
  }

  for (const emoji of ['❤️', '🇫🇷', '1️⃣', '👍🏽', '👨‍👩‍👧‍👦', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']) {
    it(`accepts ${emoji} as a reaction`, () => {
      const decoded = decodeContent(encodeContent({ ...reaction, emoji }));
      assert.equal(decoded.type === 'reaction' && decoded.emoji, emoji);
    });
  }

  it('accepts a body of exactly the size limit', () => {
    const body = 'é'.repeat(contentLimits.bodyBytes / 2);
    const decoded = decodeContent(encodeContent({ ...text, body }));
    assert.equal(decoded.type === 'text' && decoded.body, body);
  });

  it('ignores fields it does not know, so senders can add optional ones', () => {
    const decoded = decodeContent(withField(text, 'futureField', { anything: true }));
    assert.deepStrictEqual(decoded, text);
  });

  it('writes the documented JSON envelope', () => {
    const wire = JSON.parse(fromUtf8(encodeContent(bareMedia)));
    assert.equal(wire.version, 1);
    assert.equal(wire.kind, 'media');
    assert.equal(wire.key, toBase64(new Uint8Array(32).fill(1)));
    assert.equal('fileName' in wire, false);
  });
});

describe('malformed content', () => {
  const cases: readonly (readonly [MessageContent, string, unknown])[] = [
    [text, 'version', undefined],
    [text, 'version', 0],
    [text, 'version', 1.5],
    [text, 'version', '1'],
    [text, 'kind', undefined],
    [text, 'kind', 7],
    [text, 'kind', 'Text'],
    [text, 'kind', ''],
    [text, 'id', undefined],
    [text, 'id', 'not-a-uuid'],
    [text, 'id', text.id.toUpperCase()],
    [text, 'id', 42],
    [text, 'sentAt', undefined],
    [text, 'sentAt', -1],
    [text, 'sentAt', 1.5],
    [text, 'sentAt', '2024-01-01'],
    [text, 'sentAt', 9e15],
    [text, 'body', undefined],
    [text, 'body', ''],
    [text, 'body', null],
    [text, 'body', 'x'.repeat(contentLimits.bodyBytes + 1)],
    [text, 'body', 'é'.repeat(contentLimits.bodyBytes / 2 + 1)],
    [text, 'body', 'half of a pair: \ud83d'],
    [reply, 'body', undefined],
    [reply, 'quote', undefined],
    [reply, 'quote', ['not', 'an', 'object']],
    [reply, 'quote', 'Dinner tonight?'],
    [reply, 'quote.id', undefined],
    [reply, 'quote.id', 'abc'],
    [reply, 'quote.excerpt', undefined],
    [reply, 'quote.excerpt', 12],
    [reply, 'quote.excerpt', 'x'.repeat(contentLimits.excerptBytes + 1)],
    [reaction, 'targetId', undefined],
    [reaction, 'targetId', '{6f1c}'],
    [reaction, 'emoji', undefined],
    [reaction, 'emoji', 'hello'],
    [reaction, 'emoji', '👍👍'],
    [reaction, 'emoji', 'a'],
    [reaction, 'emoji', 1],
    [reaction, 'emoji', '👍'.repeat(20)],
    [edit, 'targetId', undefined],
    [edit, 'body', ''],
    [edit, 'body', undefined],
    [deletion, 'targetId', undefined],
    [deletion, 'targetId', 'all'],
    [fullMedia, 'fileId', undefined],
    [fullMedia, 'fileId', ''],
    [fullMedia, 'fileId', '../other-user/file'],
    [fullMedia, 'fileId', 'x'.repeat(129)],
    [fullMedia, 'key', undefined],
    [fullMedia, 'key', 'not base64!'],
    [fullMedia, 'key', toBase64(new Uint8Array(31))],
    [fullMedia, 'key', toBase64(new Uint8Array(33))],
    [fullMedia, 'key', [1, 2, 3]],
    [fullMedia, 'digest', undefined],
    [fullMedia, 'digest', toBase64(new Uint8Array(16))],
    [fullMedia, 'digest', `${toBase64(new Uint8Array(32)).slice(0, -2)}B=`],
    [fullMedia, 'mimeType', undefined],
    [fullMedia, 'mimeType', 'jpeg'],
    [fullMedia, 'mimeType', 'text/html; charset=utf-8'],
    [fullMedia, 'size', undefined],
    [fullMedia, 'size', -1],
    [fullMedia, 'size', 1.5],
    [fullMedia, 'size', '10'],
    [fullMedia, 'fileName', ''],
    [fullMedia, 'fileName', '../../.bashrc'],
    [fullMedia, 'fileName', 'photos\\cat.jpg'],
    [fullMedia, 'fileName', '..'],
    [fullMedia, 'fileName', 'invoice\u0007.pdf'],
    [fullMedia, 'fileName', `${'x'.repeat(contentLimits.fileNameBytes)}.jpg`],
    [fullMedia, 'fileName', null],
    [fullMedia, 'width', 0],
    [fullMedia, 'width', 'wide'],
    [fullMedia, 'height', undefined],
    [fullMedia, 'height', contentLimits.dimension + 1],
    [fullMedia, 'durationMs', -5],
    [fullMedia, 'durationMs', 2.5],
    [fullMedia, 'thumbnail', toBase64(utf8('\u0089PNG\r\n\u001a\n0000000'))],
    [fullMedia, 'thumbnail', toBase64(new Uint8Array(contentLimits.thumbnailBytes + 1).fill(0xff))],
    [fullMedia, 'thumbnail', 'not base64'],
    [fullMedia, 'thumbnail', ''],
    [fullMedia, 'caption', ''],
    [fullMedia, 'caption', false],
    [memberAdded, 'notice', undefined],
    [memberAdded, 'notice', 3],
    [memberAdded, 'userIds', undefined],
    [memberAdded, 'userIds', []],
    [memberAdded, 'userIds', 'VXNlcjox'],
    [memberAdded, 'userIds', ['VXNlcjox', 'VXNlcjox']],
    [memberAdded, 'userIds.1', 'has space'],
    [memberAdded, 'userIds.0', 5],
    [memberAdded, 'userIds', Array.from({ length: 1001 }, (_, i) => `user${i}`)],
  ];

  for (const [content, field, value] of cases) {
    const shown = value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 40);
    it(`refuses ${content.type} content whose ${field} is ${shown}, naming the field`, () => {
      assertMalformed(() => decodeContent(withField(content, field, value)), field);
    });
  }

  const notices: readonly (readonly [string, Record<string, unknown>, string])[] = [
    ['a device notice without a device', { notice: 'device_added', userId: 'u' }, 'deviceId'],
    ['a device notice without a user', { notice: 'device_added', deviceId: 'd' }, 'userId'],
    ['a renaming to nothing', { notice: 'group_renamed', name: '' }, 'name'],
    ['a renaming with a line break', { notice: 'group_renamed', name: 'a\nb' }, 'name'],
    ['a renaming without a name', { notice: 'group_renamed' }, 'name'],
    ['a safety notice without a user', { notice: 'safety_number_changed' }, 'userId'],
  ];
  for (const [name, fields, field] of notices) {
    it(`refuses ${name}, naming ${field}`, () => {
      const envelope = { version: 1, kind: 'system', id: newContentId(), sentAt };
      const bytes = utf8(JSON.stringify({ ...envelope, ...fields }));
      assertMalformed(() => decodeContent(bytes), field);
    });
  }

  const garbage: readonly (readonly [string, Uint8Array])[] = [
    ['no bytes at all', new Uint8Array(0)],
    ['bytes that are not UTF-8', Uint8Array.of(0xc3, 0x28)],
    ['text that is not JSON', utf8('hello')],
    ['a JSON array', utf8('[1,2,3]')],
    ['JSON null', utf8('null')],
    ['a JSON string', utf8('"text"')],
    ['deeply nested JSON', utf8(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)],
    ['content above the size limit', utf8(`"${'x'.repeat(contentLimits.encodedBytes)}"`)],
  ];
  for (const [name, bytes] of garbage) {
    it(`refuses ${name} as MALFORMED`, () => {
      assert.throws(
        () => decodeContent(bytes),
        (error) => isCryptoError(error, 'MALFORMED'),
      );
    });
  }
});

describe('content this version does not know', () => {
  it('keeps an unknown kind as unsupported, with the bytes to decode after an update', () => {
    const bytes = withField(text, 'kind', 'poll');
    const decoded = decodeContent(bytes);
    assert.deepStrictEqual(decoded, {
      type: 'unsupported',
      id: text.id,
      sentAt,
      kind: 'poll',
      version: 1,
      raw: bytes,
    });
  });

  it('keeps a newer version of a known kind as unsupported, whatever its fields', () => {
    const rewritten = withField(withField(text, 'body', undefined), 'blocks', [{ bold: 'hi' }]);
    const bytes = withField(rewritten, 'version', 2);
    const decoded = decodeContent(bytes);
    assert.equal(decoded.type, 'unsupported');
    assert.equal(decoded.type === 'unsupported' && decoded.version, 2);
    assert.equal(decoded.type === 'unsupported' && decoded.kind, 'text');
  });

  it('keeps an unknown system notice as unsupported', () => {
    const decoded = decodeContent(withField(memberAdded, 'notice', 'disappearing_timer_set'));
    assert.equal(decoded.type, 'unsupported');
    assert.equal(decoded.type === 'unsupported' && decoded.kind, 'system');
  });

  it('copies the kept bytes, so reusing the receive buffer does not change them', () => {
    const bytes = withField(text, 'kind', 'poll');
    const decoded = decodeContent(bytes);
    bytes.fill(0);
    assert.equal(decoded.type === 'unsupported' && decoded.raw[0], '{'.charCodeAt(0));
  });

  it('encodes an unsupported content back to the bytes it came from', () => {
    const bytes = withField(text, 'version', 7);
    assert.deepStrictEqual(encodeContent(decodeContent(bytes)), bytes);
  });

  it('refuses an unknown kind whose envelope is broken, naming the field', () => {
    const bytes = withField(withField(text, 'kind', 'poll'), 'id', undefined);
    assertMalformed(() => decodeContent(bytes), 'id');
  });
});

describe('encoding', () => {
  it('refuses to encode what a receiver would refuse, naming the field', () => {
    assertMalformed(() => encodeContent({ ...text, body: '' }), 'body');
    assertMalformed(() => encodeContent({ ...fullMedia, key: new Uint8Array(16) }), 'key');
    assertMalformed(() => encodeContent({ ...fullMedia, height: undefined }), 'height');
  });

  it('sends only the fields of the kind, never what else the app keeps on the object', () => {
    const local = { ...text, localPath: '/home/alice/secret.txt', status: 'sending' };
    const wire = fromUtf8(encodeContent(local));
    assert.doesNotMatch(wire, /secret|sending/);
  });

  it('cuts a long excerpt at a character boundary to fit in a reply', () => {
    const long = '😀'.repeat(contentLimits.excerptBytes);
    const excerpt = excerptOf(long);
    assert.ok(utf8(excerpt).length <= contentLimits.excerptBytes);
    assert.ok(excerpt.endsWith('…'));
    assert.ok(long.startsWith(excerpt.slice(0, -1)));
    const quoted = { ...reply, quote: { id: targetId, excerpt } };
    assert.deepStrictEqual(decodeContent(encodeContent(quoted)), quoted);
  });

  it('leaves a short excerpt whole', () => {
    assert.equal(excerptOf('Dinner tonight?'), 'Dinner tonight?');
  });

  it('accepts lowercase UUIDs as message ids and nothing else', () => {
    assert.equal(parseContentId(text.id), text.id);
    assert.throws(
      () => parseContentId(text.id.toUpperCase()),
      (e) => isCryptoError(e, 'MALFORMED'),
    );
    assert.throws(
      () => parseContentId('42'),
      (e) => isCryptoError(e, 'MALFORMED'),
    );
  });
});
