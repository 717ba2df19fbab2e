// Bench-only. What the load generator needs from a system under test, whichever it is: send a
// message from a pair's sender, and report each arrival at the pair's receiver. Parley and the
// bare relay each implement it; the load shapes and the bookkeeping are shared.

export type OutgoingMessage = {
  /** Unique within the run; Parley keys idempotency on it, the ledger keys loss on it. */
  readonly clientMessageId: string;
  /** Base64 of the payload (see payload-codec.ts). */
  readonly ciphertext: string;
};

export type Delivery = {
  /** Position within the pair's conversation: Parley's seq, or the relay sender's counter. */
  readonly seq: number;
  readonly clientMessageId: string;
  readonly ciphertext: string;
};

/** Where a transport reports what its receivers see. DeliveryLedger is the one implementation. */
export interface DeliverySink {
  delivered(pair: number, delivery: Delivery): void;
  /** A delivery receipt finished, successfully or with `error`. */
  receiptSettled(error?: unknown): void;
  /** A receiver's event stream failed or ended while it should have been listening. */
  streamFailed(pair: number, error: unknown): void;
}

export type PairTransport = {
  readonly pairCount: number;
  /** Sends from the pair's sender; resolves once the system accepted the message. */
  send(pair: number, message: OutgoingMessage): Promise<void>;
  /** Sends each pair's receipt for its last message, if still owed, and waits for all receipts. */
  settleReceipts(): Promise<void>;
  close(): Promise<void>;
};
