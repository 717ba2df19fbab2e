// Taking back a refused change to a message: only what the change did is undone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { newContentId } from '@parley/crypto';

import { undoChange } from '../src/engine/undo-change.ts';
import type { MessageRecord } from '../src/shared/local-database.ts';

const target = newContentId();
const base: MessageRecord = {
  conversationId: 'c',
  id: target,
  order: 4,
  seq: 4,
  senderUserId: 'ana',
  at: 1,
  kind: 'text',
  text: 'original',
  reactions: { ben: '👍' },
  deleted: false,
};
const envelope = { id: newContentId(), sentAt: 2 };

describe('undoing a refused change', () => {
  it('takes back my reaction and keeps one that arrived since', () => {
    const now = { ...base, reactions: { ben: '👍', ana: '❤️', cleo: '😂' } };
    const undone = undoChange(
      now,
      base,
      { ...envelope, type: 'reaction', targetId: target, emoji: '❤️' },
      'ana',
    );
    assert.deepEqual(undone.reactions, { ben: '👍', cleo: '😂' });
  });

  it('puts back the text before an edit', () => {
    const now = { ...base, text: 'edited', editedAt: 2 };
    const undone = undoChange(
      now,
      base,
      { ...envelope, type: 'edit', targetId: target, body: 'edited' },
      'ana',
    );
    assert.equal(undone.text, 'original');
    assert.equal(undone.editedAt, undefined);
  });

  it('brings a message deleted for everyone back, with its reactions', () => {
    const now = { ...base, text: '', deleted: true, reactions: {} };
    const undone = undoChange(now, base, { ...envelope, type: 'delete', targetId: target }, 'ana');
    assert.equal(undone.deleted, false);
    assert.equal(undone.text, 'original');
    assert.deepEqual(undone.reactions, { ben: '👍' });
  });
});
