// Bench-only. The load generator's side of the bare relay: per pair, a sender socket and a
// receiver socket, speaking a two-frame protocol of the bench's own. The sender numbers its
// messages (there is no server to do it), and the receiver's receipts travel back through the
// relay to the sender, as Parley's receipts travel back through Parley.
import WebSocket from 'ws';

import { mapConcurrently } from './map-concurrently.js';
import type { DeliverySink, OutgoingMessage, PairTransport } from './pair-transport.js';
import { ReceiptSchedule } from './receipt-schedule.js';
import { withDeadline } from './with-deadline.js';

type RelayFrame =
  | {
      readonly type: 'message';
      readonly seq: number;
      readonly clientMessageId: string;
      readonly ciphertext: string;
    }
  | { readonly type: 'receipt'; readonly seq: number };

export type RelayPairsOptions = {
  readonly wsUrl: string;
  readonly pairCount: number;
  readonly receiptEvery: number;
  readonly sink: DeliverySink;
};

export async function connectRelayPairs(options: RelayPairsOptions): Promise<PairTransport> {
  const { sink, pairCount } = options;
  const schedule = new ReceiptSchedule(pairCount, options.receiptEvery);
  const receiptsInFlight = new Set<Promise<void>>();
  const seqs = new Array<number>(pairCount).fill(0);
  let closing = false;

  const connect = (pair: number, role: 'sender' | 'receiver') =>
    withDeadline(
      `relay socket ${pair} ${role}`,
      15_000,
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(`${options.wsUrl}?pair=${pair}&role=${role}`);
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      }),
    );

  const write = (socket: WebSocket, frame: RelayFrame) =>
    new Promise<void>((resolve, reject) => {
      socket.send(JSON.stringify(frame), (error) => (error ? reject(error) : resolve()));
    });

  const sockets = await mapConcurrently(
    Array.from({ length: pairCount }, (_, pair) => pair),
    20,
    async (pair) => {
      const receiver = await connect(pair, 'receiver');
      const sender = await connect(pair, 'sender');
      return { sender, receiver };
    },
  );

  const sendReceipt = (pair: number, seq: number) => {
    const receiver = sockets[pair]?.receiver;
    if (!receiver) return;
    const receipt: Promise<void> = write(receiver, { type: 'receipt', seq })
      .then(
        () => sink.receiptSettled(),
        (error: unknown) => sink.receiptSettled(error),
      )
      .then(() => {
        receiptsInFlight.delete(receipt);
      });
    receiptsInFlight.add(receipt);
  };

  sockets.forEach(({ receiver, sender }, pair) => {
    receiver.on('message', (data) => {
      const frame = parseRelayFrame(String(data));
      if (frame?.type !== 'message') {
        sink.streamFailed(pair, new Error('the relay delivered a frame that is not a message'));
        return;
      }
      sink.delivered(pair, frame);
      const seq = schedule.arrived(pair, frame.seq);
      if (seq !== undefined) sendReceipt(pair, seq);
    });
    // The sender has nothing to do with receipts but receive them, as Parley's would.
    sender.on('message', () => {});
    for (const socket of [receiver, sender]) {
      socket.on('error', () => {});
      socket.on('close', (code) => {
        if (!closing) sink.streamFailed(pair, new Error(`relay socket closed with ${code}`));
      });
    }
  });

  return {
    pairCount,
    send: (pair, message: OutgoingMessage) => {
      const sender = sockets[pair]?.sender;
      if (!sender) return Promise.reject(new Error(`no relay pair ${pair}`));
      const seq = (seqs[pair] ?? 0) + 1;
      seqs[pair] = seq;
      return write(sender, { type: 'message', seq, ...message });
    },
    settleReceipts: async () => {
      for (let pair = 0; pair < pairCount; pair += 1) {
        const seq = schedule.owed(pair);
        if (seq !== undefined) sendReceipt(pair, seq);
      }
      await Promise.all(receiptsInFlight);
    },
    close: async () => {
      closing = true;
      for (const { sender, receiver } of sockets) {
        sender.terminate();
        receiver.terminate();
      }
    },
  };
}

/** Validates a frame before anything reads it; undefined when it is not one of ours. */
function parseRelayFrame(text: string): RelayFrame | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const frame = value as Record<string, unknown>;
  if (frame.type === 'receipt' && Number.isInteger(frame.seq)) {
    return { type: 'receipt', seq: frame.seq as number };
  }
  if (
    frame.type === 'message' &&
    Number.isInteger(frame.seq) &&
    typeof frame.clientMessageId === 'string' &&
    typeof frame.ciphertext === 'string'
  ) {
    return {
      type: 'message',
      seq: frame.seq as number,
      clientMessageId: frame.clientMessageId,
      ciphertext: frame.ciphertext,
    };
  }
  return undefined;
}
