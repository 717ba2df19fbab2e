// Bench-only. What an idle but subscribed device connection costs an API instance: the growth
// of the instance's resident memory when `connections` graphql-ws connections, each holding an
// `events` subscription, are opened and left alone. Devices hold several connections each, as
// a user with several tabs would, which keeps set-up cheap without changing the server's work.
//
// Every reading follows a full garbage collection in the instance. Before the first, every
// device already holds one connection and has received a message, so code paths are compiled
// and each user's first-connection work (presence) is done: what is measured is the cost of
// more connections. Resident memory still moves by itself, by tens of megabytes at a time (V8
// returning pages, compiler threads freeing their scratch memory), so the measurement runs in
// rounds, opening and closing the connections, and reports the median round. The JavaScript
// heap's growth is reported beside it, as a steadier lower bound.
//
// In the last round, one message goes into each idle conversation and every measured connection
// must receive it: that proves each subscription was live, not just each socket open.
import { randomBytes } from 'node:crypto';

import type { ApiInstance } from './api-instance.js';
import { sleep } from './clock.js';
import { collectGarbage } from './collect-garbage.js';
import { GraphQLHttpClient } from './graphql-over-http.js';
import { type GraphQLSocket, openGraphQLSocket } from './graphql-socket.js';
import { mapConcurrently } from './map-concurrently.js';
import { type EventsData, eventsSubscription, sendMessageMutation } from './parley-transport.js';
import { readRssKiB } from './process-rss.js';
import type { Account, SeededConversation } from './seed-accounts.js';

export type IdleMemoryResult = {
  readonly instance: string;
  /** Connections measured, on top of one warm-up connection per device. */
  readonly connections: number;
  readonly devices: number;
  /** Resident memory per connection in each round, in KiB. */
  readonly roundsKiB: readonly number[];
  /** The median round: the headline figure. */
  readonly perConnectionKiB: number;
  /** Live JavaScript heap per connection, median round: sockets' native memory is not in it. */
  readonly heapPerConnectionKiB: number;
  /** Measured connections whose subscription received the probe message. */
  readonly verifiedLive: number;
};

export type IdleMemoryOptions = {
  readonly instance: ApiInstance;
  readonly conversations: readonly SeededConversation[];
  readonly connections: number;
  readonly rounds: number;
  /** Quiet time before each reading, for connection set-up to finish everywhere. */
  readonly settleMs: number;
};

type Reading = { readonly heapKiB: number; readonly rssKiB: number };

export async function measureIdleMemory(options: IdleMemoryOptions): Promise<IdleMemoryResult> {
  const { instance, connections } = options;
  const { inspectorUrl } = instance;
  if (!inspectorUrl) throw new Error(`${instance.name} needs its inspector open for idle memory`);
  const devices: Account[] = options.conversations.flatMap((c) => [c.sender, c.receiver]);
  if (devices.length === 0) throw new Error('idle connections need at least one conversation');
  const warm: GraphQLSocket[] = [];
  let measured: GraphQLSocket[] = [];

  const openSubscribed = async (device: Account, into: GraphQLSocket[], onMessage: () => void) => {
    const socket = await openGraphQLSocket(instance.graphqlWsUrl, device.token);
    into.push(socket);
    socket.subscribe<EventsData>(
      eventsSubscription,
      {},
      ({ events }) => {
        if (events.__typename === 'MessageEvent') onMessage();
      },
      () => {},
    );
  };

  // Collects and reads until two readings agree: the process may hand memory back to the system
  // some time after it was freed, and a reading taken before then would count it as in use.
  const settledReading = async (): Promise<Reading> => {
    await sleep(options.settleMs);
    let reading = { heapKiB: 0, rssKiB: Number.POSITIVE_INFINITY };
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const heapKiB = await collectGarbage(inspectorUrl);
      await sleep(1_000);
      const previous = reading;
      reading = { heapKiB, rssKiB: await readRssKiB(instance.pid) };
      if (Math.abs(reading.rssKiB - previous.rssKiB) < 1_024) break;
    }
    return reading;
  };

  try {
    const warmReceived = new Array<number>(devices.length).fill(0);
    await mapConcurrently(devices, 20, (device, index) =>
      openSubscribed(device, warm, () => {
        warmReceived[index] = (warmReceived[index] ?? 0) + 1;
      }),
    );
    await probeSubscriptions(options, warmReceived, 'warm');

    const rounds: { rssKiB: number; heapKiB: number }[] = [];
    let verifiedLive = 0;
    for (let round = 1; round <= options.rounds; round += 1) {
      const before = await settledReading();
      const received = new Array<number>(connections).fill(0);
      await mapConcurrently(
        Array.from({ length: connections }, (_, index) => index),
        50,
        (index) =>
          openSubscribed(devices[index % devices.length] as Account, measured, () => {
            received[index] = (received[index] ?? 0) + 1;
          }),
      );
      const after = await settledReading();
      rounds.push({
        rssKiB: (after.rssKiB - before.rssKiB) / connections,
        heapKiB: (after.heapKiB - before.heapKiB) / connections,
      });
      if (round === options.rounds) {
        verifiedLive = await probeSubscriptions(options, received, `round${round}`);
      }
      for (const socket of measured) socket.close();
      measured = [];
    }

    return {
      instance: instance.name,
      connections,
      devices: devices.length,
      roundsKiB: rounds.map((round) => round.rssKiB),
      perConnectionKiB: median(rounds.map((round) => round.rssKiB)),
      heapPerConnectionKiB: median(rounds.map((round) => round.heapKiB)),
      verifiedLive,
    };
  } finally {
    for (const socket of [...warm, ...measured]) socket.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Sends one message into each idle conversation; returns how many connections received one. */
async function probeSubscriptions(
  options: IdleMemoryOptions,
  received: readonly number[],
  round: string,
): Promise<number> {
  const ciphertext = randomBytes(100).toString('base64');
  const http = new GraphQLHttpClient(`${options.instance.url}/graphql`);
  try {
    for (const [index, conversation] of options.conversations.entries()) {
      await http.execute(
        sendMessageMutation,
        {
          conversationId: conversation.conversationId,
          clientMessageId: `${round}.${index}`,
          ciphertext,
        },
        conversation.sender.token,
      );
    }
  } finally {
    http.close();
  }
  const live = () => received.filter((count) => count > 0).length;
  const deadline = performance.now() + 10_000;
  while (live() < received.length && performance.now() < deadline) await sleep(50);
  return live();
}
