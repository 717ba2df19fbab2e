// Bench-only. Makes and sends the messages of every pair, registering each with the ledger
// before it leaves, so that an arrival can never race ahead of its own registration.
import type { DeliveryLedger } from './delivery-ledger.js';
import type { PairTransport } from './pair-transport.js';
import type { PayloadCodec } from './payload-codec.js';

export class LoadGenerator {
  readonly #transport: PairTransport;
  readonly #ledger: DeliveryLedger;
  readonly #codec: PayloadCodec;
  readonly #sentPerPair: number[];

  constructor(transport: PairTransport, ledger: DeliveryLedger, codec: PayloadCodec) {
    this.#transport = transport;
    this.#ledger = ledger;
    this.#codec = codec;
    this.#sentPerPair = new Array<number>(transport.pairCount).fill(0);
  }

  get pairCount(): number {
    return this.#transport.pairCount;
  }

  /** Sends `pair`'s next message, stamped with the moment it was meant to leave. */
  send(pair: number, sentAtUs: number): void {
    const count = (this.#sentPerPair[pair] ?? 0) + 1;
    this.#sentPerPair[pair] = count;
    const clientMessageId = `p${pair}.${count}`;
    this.#ledger.sendStarted(pair, clientMessageId);
    this.#transport.send(pair, { clientMessageId, ciphertext: this.#codec.encode(sentAtUs) }).then(
      () => this.#ledger.sendAccepted(clientMessageId),
      (error: unknown) => this.#ledger.sendFailed(clientMessageId, error),
    );
  }
}
