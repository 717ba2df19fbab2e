// Bench-only. The bookkeeping that turns a run into correctness counts and latencies. Every
// message is registered when its send starts; the receiver's arrivals are checked against it:
//
//   - lost: the system accepted the send, and the receiver never saw the message;
//   - duplicated: the receiver saw the same clientMessageId twice;
//   - out of order: a pair's seq did not follow the previous one by exactly one.
//
// Send order is not checked: a pair may have several sends in flight, and it is the server's
// seq, assigned when a message is stored, that a client must see in order.
//
// Duplicates are told apart by clientMessageId within a phase; one that repeats a message of an
// earlier phase still shows, as out of order, since its seq is behind the pair's. Keeping ids
// for one phase only keeps the generator's heap, and its collection pauses, small.
import { nowUs, sleep } from './clock.js';
import { summarizeLatency, type LatencySummary } from './latency-summary.js';
import { errorCode } from './operation-error.js';
import type { Delivery, DeliverySink } from './pair-transport.js';
import type { PayloadCodec } from './payload-codec.js';

export type PhaseTally = {
  readonly phase: string;
  readonly sent: number;
  readonly accepted: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  /** Sends neither accepted nor refused when the phase gave up waiting. */
  readonly unanswered: number;
  readonly sendErrors: number;
  readonly receipts: number;
  readonly receiptErrors: number;
  readonly streamErrors: number;
  /** Arrivals that are not a message of this phase, or whose payload is not ours. */
  readonly unexpected: number;
  /** Failures of any kind, by the server's error code or the transport's. */
  readonly errorCodes: Readonly<Record<string, number>>;
  /** The first message seen for each error code, to tell what went wrong. */
  readonly errorExamples: Readonly<Record<string, string>>;
  readonly latency: LatencySummary;
};

type Outstanding = { readonly pair: number; state: 'sending' | 'accepted' | 'refused' };

export class DeliveryLedger implements DeliverySink {
  readonly #codec: PayloadCodec;
  readonly #lastSeq: number[];
  #seen = new Set<string>();
  readonly #outstanding = new Map<string, Outstanding>();
  #listener: ((pair: number) => void) | undefined;
  #phase = 'setup';
  #counts = emptyCounts();
  #errorCodes = new Map<string, number>();
  #errorExamples = new Map<string, string>();
  #latenciesUs: number[] = [];
  /** Sends not yet answered; a set, so that an answer from a phase already closed is ignored. */
  readonly #sending = new Set<string>();
  #awaitingDelivery = 0;

  constructor(pairCount: number, codec: PayloadCodec) {
    this.#codec = codec;
    this.#lastSeq = new Array<number>(pairCount).fill(0);
  }

  /** Deliveries counted so far in this phase; the load loops sample it to compute rates. */
  get deliveredCount(): number {
    return this.#counts.delivered;
  }

  beginPhase(phase: string): void {
    this.#phase = phase;
    this.#counts = emptyCounts();
    this.#errorCodes = new Map();
    this.#errorExamples = new Map();
    this.#latenciesUs = [];
    this.#seen = new Set();
  }

  /** Hears, per pair, each message that stops being in flight: delivered or refused. */
  onMessageDone(listener: ((pair: number) => void) | undefined): void {
    this.#listener = listener;
  }

  sendStarted(pair: number, clientMessageId: string): void {
    this.#outstanding.set(clientMessageId, { pair, state: 'sending' });
    this.#sending.add(clientMessageId);
    this.#counts.sent += 1;
  }

  sendAccepted(clientMessageId: string): void {
    if (!this.#sending.delete(clientMessageId)) return;
    this.#counts.accepted += 1;
    const entry = this.#outstanding.get(clientMessageId);
    if (!entry) return; // Delivered before the sender heard back: nothing left to wait for.
    entry.state = 'accepted';
    this.#awaitingDelivery += 1;
  }

  sendFailed(clientMessageId: string, error: unknown): void {
    if (!this.#sending.delete(clientMessageId)) return;
    this.#counts.sendErrors += 1;
    this.#countError(error);
    const entry = this.#outstanding.get(clientMessageId);
    if (!entry) return;
    entry.state = 'refused';
    this.#listener?.(entry.pair);
  }

  delivered(pair: number, delivery: Delivery): void {
    const arrivedUs = nowUs();
    if (this.#seen.has(delivery.clientMessageId)) {
      this.#counts.duplicated += 1;
      return;
    }
    this.#seen.add(delivery.clientMessageId);

    const expected = (this.#lastSeq[pair] ?? 0) + 1;
    if (delivery.seq !== expected) this.#counts.outOfOrder += 1;
    this.#lastSeq[pair] = Math.max(delivery.seq, expected - 1);

    const entry = this.#outstanding.get(delivery.clientMessageId);
    const sentAtUs = this.#codec.decode(delivery.ciphertext);
    if (!entry || entry.pair !== pair || sentAtUs === undefined) {
      this.#counts.unexpected += 1;
      return;
    }
    this.#outstanding.delete(delivery.clientMessageId);
    if (entry.state === 'accepted') this.#awaitingDelivery -= 1;
    this.#counts.delivered += 1;
    this.#latenciesUs.push(arrivedUs - sentAtUs);
    if (entry.state !== 'refused') this.#listener?.(pair);
  }

  receiptSettled(error?: unknown): void {
    if (error === undefined) {
      this.#counts.receipts += 1;
      return;
    }
    this.#counts.receiptErrors += 1;
    this.#countError(error);
  }

  streamFailed(_pair: number, error: unknown): void {
    this.#counts.streamErrors += 1;
    this.#countError(error);
  }

  /** Waits until every send was answered and every accepted message arrived, or the timeout. */
  async waitUntilSettled(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.#sending.size > 0 || this.#awaitingDelivery > 0) {
      if (performance.now() >= deadline) return false;
      await sleep(20);
    }
    return true;
  }

  /** Closes the phase: whatever is still outstanding counts as lost or unanswered. */
  endPhase(): PhaseTally {
    for (const entry of this.#outstanding.values()) {
      if (entry.state === 'accepted') this.#counts.lost += 1;
      if (entry.state === 'sending') this.#counts.unanswered += 1;
    }
    this.#outstanding.clear();
    this.#sending.clear();
    this.#awaitingDelivery = 0;
    return {
      phase: this.#phase,
      ...this.#counts,
      errorCodes: Object.fromEntries(this.#errorCodes),
      errorExamples: Object.fromEntries(this.#errorExamples),
      latency: summarizeLatency(this.#latenciesUs),
    };
  }

  #countError(error: unknown): void {
    const code = errorCode(error);
    this.#errorCodes.set(code, (this.#errorCodes.get(code) ?? 0) + 1);
    if (!this.#errorExamples.has(code)) {
      this.#errorExamples.set(code, error instanceof Error ? error.message : String(error));
    }
  }
}

function emptyCounts() {
  return {
    sent: 0,
    accepted: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    unanswered: 0,
    sendErrors: 0,
    receipts: 0,
    receiptErrors: 0,
    streamErrors: 0,
    unexpected: 0,
  };
}
