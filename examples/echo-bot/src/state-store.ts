// The device's state between runs, in one file: its token, its keys, each conversation's MLS
// group and cursor, and its outbox. The file is replaced whole and atomically (write a new file,
// flush it to disk, rename it over the old one), so a crash at any moment leaves either the
// previous state or the next one, never half of each. It holds secrets: it is made readable by
// its owner only.
//
// One file is written whole after every event, which is simple and right for a bot in tens of
// conversations; one in thousands would keep a file (or a database row) per conversation.
import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

import { toBase64 } from '@parley/crypto';

import { ProtocolError, StateFileError } from './errors.ts';
import type { OutboxEntry } from './outbox.ts';
import type { Account } from './parley-api.ts';
import { WireReader } from './wire-reader.ts';

export type SavedConversation = {
  readonly conversationId: string;
  /** The last seq processed: the subscription resumes right after it. */
  readonly cursor: number;
  /** Group.serialize() */
  readonly group: Uint8Array;
};

export type SavedState = {
  readonly account: Account | undefined;
  /** DeviceKeys.serialize(): the signature key pair and the key packages' private halves. */
  readonly deviceKeys: Uint8Array | undefined;
  readonly conversations: readonly SavedConversation[];
  readonly outbox: readonly OutboxEntry[];
};

const format = 'parley-echo-bot';
const version = 1;

export class StateStore {
  readonly path: string;

  constructor(file: string) {
    this.path = path.resolve(file);
  }

  /** The saved state, or undefined when there is none yet. */
  async load(): Promise<SavedState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateFileError(`Could not read ${this.path}.`, { cause: error });
    }
    try {
      return decode(JSON.parse(text));
    } catch (error) {
      if (!(error instanceof SyntaxError || error instanceof ProtocolError)) throw error;
      throw new StateFileError(
        `${this.path} is damaged or was written by another program: ${error.message}`,
        { cause: error },
      );
    }
  }

  async save(state: SavedState): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`;
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(encode(state))}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
    // The rename is itself a change to the folder, which survives a power cut once the folder
    // is flushed too.
    const folder = await open(path.dirname(this.path), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

function encode(state: SavedState): object {
  return {
    format,
    version,
    account: state.account ?? null,
    deviceKeys: state.deviceKeys ? toBase64(state.deviceKeys) : null,
    conversations: state.conversations.map(({ conversationId, cursor, group }) => ({
      conversationId,
      cursor,
      group: toBase64(group),
    })),
    outbox: state.outbox.map((entry) =>
      entry.type === 'message' ? { ...entry, ciphertext: toBase64(entry.ciphertext) } : entry,
    ),
  };
}

function decode(value: unknown): SavedState {
  const file = new WireReader(value, 'state');
  if (file.string('format') !== format) throw new ProtocolError('state.format is not this bot’s.');
  if (file.integer('version') !== version) {
    throw new ProtocolError(`state.version is not ${version}; a newer bot may have written it.`);
  }
  const account = file.nullableObject('account');
  return {
    account: account
      ? {
          token: account.string('token'),
          userId: account.string('userId'),
          deviceId: account.string('deviceId'),
        }
      : undefined,
    deviceKeys: file.nullableBytes('deviceKeys') ?? undefined,
    conversations: file.list('conversations').map((conversation) => ({
      conversationId: conversation.string('conversationId'),
      cursor: conversation.integer('cursor'),
      group: conversation.bytes('group'),
    })),
    outbox: file.list('outbox').map(decodeOutboxEntry),
  };
}

function decodeOutboxEntry(entry: WireReader): OutboxEntry {
  const type = entry.oneOf('type', ['message', 'receipt']);
  switch (type) {
    case 'message':
      return {
        type,
        conversationId: entry.string('conversationId'),
        clientMessageId: entry.string('clientMessageId'),
        ciphertext: entry.bytes('ciphertext'),
      };
    case 'receipt':
      return {
        type,
        conversationId: entry.string('conversationId'),
        receipt: entry.oneOf('receipt', ['delivered', 'read']),
        seq: entry.integer('seq'),
      };
  }
}
