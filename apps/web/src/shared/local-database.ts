// Shared by the page, the crypto worker and the service worker. The device's local database in
// IndexedDB: its keys and MLS group state (written only by the crypto worker), the decrypted
// history, the outbox, and what the chat list shows. Everything a user reads offline is here.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const databaseName = 'parley';
const databaseVersion = 1;

/** The signed-in device: its token and the ids its MLS credential names. */
export type Account = {
  readonly token: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly phoneNumber: string;
};

export type DeviceRecord = {
  readonly account: Account;
  /** Serialized DeviceKeys (@parley/crypto); undefined until the worker made them. */
  readonly keys?: Uint8Array;
  /** The server handed out the last-resort key package since the last upload. */
  readonly lastResortUsed?: boolean;
};

/** One conversation's MLS group and how far through its log this device has got. */
export type GroupRecord = {
  readonly conversationId: string;
  /** The group's state; absent while this device's commit creating the group awaits its echo. */
  readonly state?: Uint8Array;
  /** The last seq processed; the event stream resumes after it. */
  readonly cursor: number;
  /**
   * A commit this device sent, and the state the group moves to with it. Applied when the
   * commit comes back through the log, in its place: after the messages stored before it, and
   * even when the server's answer to the submit was lost.
   */
  readonly proposal?: {
    readonly clientMessageId: string;
    readonly epoch: number;
    readonly state: Uint8Array;
  };
};

export type ConversationKind = 'DIRECT' | 'GROUP';

export type ConversationRecord = {
  readonly id: string;
  readonly kind: ConversationKind;
  /** Named inside the encryption (group_renamed), or the server's plaintext title. */
  readonly title?: string;
  readonly memberUserIds: readonly string[];
  /** Server time of the newest activity, in ms; the list's order. */
  readonly activityAt: number;
  /** This user's own read cursor. */
  readonly readUpTo: number;
  /** Every other member has received / read up to these seqs. */
  readonly othersDeliveredUpTo: number;
  readonly othersReadUpTo: number;
  /** The newest message worth a preview. */
  readonly lastMessage?: {
    readonly id: string;
    readonly text: string;
    readonly senderUserId: string;
    readonly at: number;
    readonly seq?: number;
  };
  /** Messages from others after readUpTo. */
  readonly unread: number;
};

export type MessageKind = 'text' | 'system' | 'undecryptable' | 'unsupported';

export type MessageRecord = {
  readonly conversationId: string;
  /** The content id; for a message that could not be decrypted, `seq:<n>`. */
  readonly id: string;
  /** Sort key: the seq once the server stored it, else after every stored message. */
  readonly order: number;
  readonly seq?: number;
  readonly senderUserId: string;
  readonly senderDeviceId?: string;
  /** When the sender says they sent it (ms). */
  readonly at: number;
  readonly kind: MessageKind;
  readonly text: string;
  readonly replyTo?: { readonly id: string; readonly excerpt: string };
  /** One reaction per user. */
  readonly reactions: Readonly<Record<string, string>>;
  readonly editedAt?: number;
  readonly deleted: boolean;
  /** Written by this device about itself (no sender), like "joined on this device". */
  readonly localNotice?: true;
  /** Own messages only: waiting in the outbox, stored by the server, or refused. */
  readonly outgoing?: 'pending' | 'sent' | 'failed';
};

/** Outbox orders sort after every stored seq: seqs stay far below this. */
export const pendingOrderBase = 2 ** 48;

export type OutboxRecord = {
  readonly clientMessageId: string;
  readonly conversationId: string;
  /** The content, as @parley/crypto's encodeContent wrote it. Encrypted when it goes out. */
  readonly content: Uint8Array;
  readonly createdAt: number;
  /** The server refused it for good; kept, so that "Retry" can send it again. */
  readonly failed?: true;
  /**
   * For a reaction, an edit or a deletion, shown at once on a message: that message as it was,
   * put back if the change cannot be sent, so that the screen never shows what others do not.
   */
  readonly undo?: MessageRecord;
};

export type UserRecord = {
  readonly id: string;
  readonly displayName: string;
  readonly phoneNumber: string;
  readonly about: string;
  readonly avatarRef?: string;
};

/** Device keys this user confirmed by comparing safety numbers with a contact. */
export type PinRecord = {
  readonly userId: string;
  readonly keys: readonly { readonly deviceId: string; readonly signatureKey: Uint8Array }[];
  readonly verifiedAt: number;
};

export interface ParleySchema extends DBSchema {
  device: { key: 'self'; value: DeviceRecord };
  groups: { key: string; value: GroupRecord };
  conversations: { key: string; value: ConversationRecord };
  messages: {
    key: [string, string];
    value: MessageRecord;
    indexes: { byOrder: [string, number] };
  };
  outbox: { key: string; value: OutboxRecord };
  users: { key: string; value: UserRecord };
  pins: { key: string; value: PinRecord };
}

export type LocalDatabase = IDBPDatabase<ParleySchema>;

let opening: Promise<LocalDatabase> | undefined;

/** Opens (and on first use creates) the database; one connection per context. */
export function openLocalDatabase(): Promise<LocalDatabase> {
  opening ??= openDB<ParleySchema>(databaseName, databaseVersion, {
    upgrade(db) {
      db.createObjectStore('device');
      db.createObjectStore('groups', { keyPath: 'conversationId' });
      db.createObjectStore('conversations', { keyPath: 'id' });
      const messages = db.createObjectStore('messages', { keyPath: ['conversationId', 'id'] });
      messages.createIndex('byOrder', ['conversationId', 'order']);
      db.createObjectStore('outbox', { keyPath: 'clientMessageId' });
      db.createObjectStore('users', { keyPath: 'id' });
      db.createObjectStore('pins', { keyPath: 'userId' });
    },
    // Another tab upgraded the schema: let it, and reopen on next use.
    blocking() {
      void opening?.then((db) => db.close());
      opening = undefined;
    },
  });
  return opening;
}

/** Deletes everything this device holds, as on signing out or being revoked. */
export async function eraseLocalDatabase(): Promise<void> {
  const db = await opening;
  db?.close();
  opening = undefined;
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(databaseName);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    request.onblocked = () => resolve();
  });
}
