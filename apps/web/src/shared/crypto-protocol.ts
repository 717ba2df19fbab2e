// Shared by the page and the crypto worker. The requests the page makes of the worker, which
// alone works with the device's private keys and MLS group state: the page's code never holds
// them. They are stored in the origin's IndexedDB, which any script running on the origin can
// read, so this is a boundary between parts of the app, not a defence against injected script
// (that is the job of the page never rendering untrusted HTML, and of the server's headers).
import type { Account } from './local-database.ts';
import type { HistoryChange } from './history.ts';

export type ReceiveInput = {
  readonly conversationId: string;
  readonly seq: number;
  /** Set by the sender; a commit of this device's is told apart from others by it. */
  readonly clientMessageId: string;
  readonly senderUserId: string;
  readonly senderDeviceId: string;
  readonly kind: 'APPLICATION' | 'COMMIT';
  readonly ciphertext: Uint8Array;
  readonly storedAt: number;
};

export type ReceiveResult =
  /** Already processed (another tab, or a replay): nothing changed. */
  | { readonly type: 'seen' }
  /** From before this device joined the group: it holds no keys for it. */
  | { readonly type: 'not-joined' }
  /** Processed; the history changed as described. */
  | { readonly type: 'processed'; readonly change: HistoryChange }
  /** A commit moved the group on; `removedSelf` means this device is out of it. */
  | {
      readonly type: 'commit';
      readonly epoch: number;
      readonly removedSelf: boolean;
      readonly addedDeviceIds: readonly string[];
    };

export type ProposedCommit = {
  readonly epoch: number;
  readonly commit: Uint8Array;
  readonly welcome: Uint8Array | undefined;
  readonly addedDeviceIds: readonly string[];
  readonly removedDeviceIds: readonly string[];
};

/** Every request, by name: its input and what it answers. */
export type CryptoMethods = {
  /** Loads this device's keys, making them on first use; answers the public signature key. */
  open(input: { account: Account }): { signatureKey: Uint8Array };
  /** One-time key packages to upload, and a new last-resort one when asked. */
  makeKeyPackages(input: { count: number; lastResort: boolean }): {
    keyPackages: Uint8Array[];
    lastResort: Uint8Array | undefined;
  };
  /** Joins a conversation's group from a Welcome; false when it was refused or already used. */
  join(input: { conversationId: string; commitSeq: number; welcome: Uint8Array }): {
    joined: boolean;
    reason?: string;
  };
  /** Consecutive entries of one conversation's log, in seq order; one result for each. */
  receive(input: { conversationId: string; messages: readonly ReceiveInput[] }): ReceiveResult[];
  /** Encrypts content (encodeContent's bytes) for the group's current epoch. */
  encrypt(input: { conversationId: string; content: Uint8Array }): { ciphertext: Uint8Array };
  /**
   * Makes a commit adding these devices, creating the group first when it has none, and keeps
   * it (with the state it leads to) until it comes back through the log.
   */
  proposeAdd(input: {
    conversationId: string;
    clientMessageId: string;
    keyPackages: Uint8Array[];
  }): ProposedCommit;
  /** The server stored the commit at `seq`; a group it creates is usable from there on. */
  commitAccepted(input: { conversationId: string; clientMessageId: string; seq: number }): void;
  /** The server refused it (stale): forget it, and a group made only for it. */
  commitRefused(input: { conversationId: string; clientMessageId: string }): void;
  /** Reads the pinned contact keys again, after the user verified a contact or took it back. */
  reloadPins(input: Record<string, never>): void;
  /** The user is no longer in the conversation: its group is of no more use. */
  forget(input: { conversationId: string }): void;
  /** Where to resume each joined conversation. */
  cursors(input: Record<string, never>): { conversationId: string; seq: number }[];
  /** The devices in a conversation's group, as this device sees it. */
  groupDevices(input: { conversationId: string }): { deviceIds: string[] } | undefined;
};

export type CryptoMethod = keyof CryptoMethods;

export type CryptoRequest = {
  readonly id: number;
  readonly method: CryptoMethod;
  readonly input: unknown;
};

export type CryptoResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly code?: string; readonly message: string };
    };
