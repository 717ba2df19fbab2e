// What the device owes the server: replies already encrypted and receipts already decided, kept
// in the state file until the server has them. Encrypting uses up a key of the MLS sending
// ratchet, so a reply is encrypted once, saved, and then sent (again, after a crash) as the same
// bytes under the same client message id, which the server stores at most once.

export type OutboxEntry =
  | {
      readonly type: 'message';
      readonly conversationId: string;
      /** The content's id, which makes sendMessage idempotent across restarts. */
      readonly clientMessageId: string;
      readonly ciphertext: Uint8Array;
    }
  | {
      readonly type: 'receipt';
      readonly conversationId: string;
      readonly receipt: 'delivered' | 'read';
      readonly seq: number;
    };

export class Outbox {
  #entries: OutboxEntry[];

  constructor(entries: readonly OutboxEntry[] = []) {
    this.#entries = [...entries];
  }

  /** In the order they are to be sent. */
  get entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  addMessage(conversationId: string, clientMessageId: string, ciphertext: Uint8Array): void {
    this.#entries.push({ type: 'message', conversationId, clientMessageId, ciphertext });
  }

  /** A receipt is a cursor: a later one for the same conversation replaces the earlier. */
  addReceipt(conversationId: string, receipt: 'delivered' | 'read', seq: number): void {
    const index = this.#entries.findIndex(
      (entry) =>
        entry.type === 'receipt' &&
        entry.conversationId === conversationId &&
        entry.receipt === receipt,
    );
    const entry: OutboxEntry = { type: 'receipt', conversationId, receipt, seq };
    if (index === -1) this.#entries.push(entry);
    else this.#entries[index] = entry;
  }

  remove(entry: OutboxEntry): void {
    this.#entries = this.#entries.filter((kept) => kept !== entry);
  }

  forgetConversation(conversationId: string): void {
    this.#entries = this.#entries.filter((entry) => entry.conversationId !== conversationId);
  }
}
