// Bench-only. The load generator's side of Parley, as a third-party client does it: every
// device on one graphql-ws connection, the sender's to one instance and the receiver's to the
// other, so that every message crosses instances through Redis. Senders call sendMessage;
// receivers hold the `events` subscription and answer with markDelivered.
//
// Mutations go over the device's graphql-ws connection when the server runs them there. When it
// refuses them (see mutationRoute), they go over HTTP POST to the same instance instead, and the
// report says so: the run still measures storage, fan-out and receipts, at HTTP's extra cost.
import type { ApiInstance } from './api-instance.js';
import { GraphQLHttpClient } from './graphql-over-http.js';
import { type GraphQLSocket, openGraphQLSocket } from './graphql-socket.js';
import { mapConcurrently } from './map-concurrently.js';
import { OperationError } from './operation-error.js';
import type { DeliverySink, OutgoingMessage, PairTransport } from './pair-transport.js';
import { ReceiptSchedule } from './receipt-schedule.js';
import type { SeededConversation } from './seed-accounts.js';

export const sendMessageMutation = `mutation Send(
  $conversationId: ID!
  $clientMessageId: String!
  $ciphertext: Bytes!
) {
  sendMessage(
    input: {
      conversationId: $conversationId
      clientMessageId: $clientMessageId
      ciphertext: $ciphertext
    }
  ) {
    duplicate
    message { seq }
  }
}`;

export const eventsSubscription = `subscription Events {
  events {
    __typename
    ... on MessageEvent { message { seq clientMessageId ciphertext } }
  }
}`;

const markDeliveredMutation = `mutation Delivered($conversationId: ID!, $seq: Int!) {
  markDelivered(input: { conversationId: $conversationId, seq: $seq }) { deliveredUpTo }
}`;

export type EventsData = {
  events: {
    __typename: string;
    message?: { seq: number; clientMessageId: string; ciphertext: string };
  };
};

type SendData = { sendMessage: { duplicate: boolean; message: { seq: number } } };

/** How the bench's mutations reach Parley, and why, when not over graphql-ws. */
export type MutationRoute =
  | { readonly via: 'graphql-ws' }
  | { readonly via: 'http'; readonly because: string };

export type ParleyTransport = PairTransport & { readonly mutationRoute: MutationRoute };

type Device = {
  readonly token: string;
  readonly socket: GraphQLSocket;
  /** The same instance's HTTP endpoint, for mutations the socket refuses. */
  readonly http: GraphQLHttpClient;
};

type ParleyPair = {
  readonly conversationId: string;
  readonly sender: Device;
  readonly receiver: Device;
};

export type ParleyPairsOptions = {
  readonly conversations: readonly SeededConversation[];
  /** The instance the senders connect to. */
  readonly senderInstance: Pick<ApiInstance, 'url' | 'graphqlWsUrl'>;
  /** The instance the receivers connect to. */
  readonly receiverInstance: Pick<ApiInstance, 'url' | 'graphqlWsUrl'>;
  readonly receiptEvery: number;
  readonly sink: DeliverySink;
};

export async function connectParleyPairs(options: ParleyPairsOptions): Promise<ParleyTransport> {
  const { sink, conversations } = options;
  const schedule = new ReceiptSchedule(conversations.length, options.receiptEvery);
  const receiptsInFlight = new Set<Promise<void>>();
  const senderHttp = new GraphQLHttpClient(`${options.senderInstance.url}/graphql`);
  const receiverHttp = new GraphQLHttpClient(`${options.receiverInstance.url}/graphql`);
  const opened: GraphQLSocket[] = [];
  let route: MutationRoute = { via: 'graphql-ws' };
  let closing = false;

  const mutate = <T>(device: Device, query: string, variables: Record<string, unknown>) =>
    route.via === 'graphql-ws'
      ? device.socket.execute<T>(query, variables)
      : device.http.execute<T>(query, variables, device.token);

  const sendReceipt = (pair: ParleyPair, seq: number) => {
    const variables = { conversationId: pair.conversationId, seq };
    const receipt: Promise<void> = mutate(pair.receiver, markDeliveredMutation, variables)
      .then(
        () => sink.receiptSettled(),
        (error: unknown) => {
          if (!closing) sink.receiptSettled(error);
        },
      )
      .then(() => {
        receiptsInFlight.delete(receipt);
      });
    receiptsInFlight.add(receipt);
  };

  const connectDevice = async (url: string, token: string, http: GraphQLHttpClient) => {
    const socket = await openGraphQLSocket(url, token);
    opened.push(socket);
    return { token, socket, http };
  };

  const close = () => {
    closing = true;
    for (const socket of opened) socket.close();
    senderHttp.close();
    receiverHttp.close();
  };

  let pairs: ParleyPair[];
  try {
    pairs = await mapConcurrently(conversations, 20, async (conversation, index) => {
      const { receiverInstance, senderInstance } = options;
      const pair: ParleyPair = {
        conversationId: conversation.conversationId,
        receiver: await connectDevice(
          receiverInstance.graphqlWsUrl,
          conversation.receiver.token,
          receiverHttp,
        ),
        sender: await connectDevice(
          senderInstance.graphqlWsUrl,
          conversation.sender.token,
          senderHttp,
        ),
      };
      pair.receiver.socket.subscribe<EventsData>(
        eventsSubscription,
        {},
        ({ events }) => {
          if (events.__typename !== 'MessageEvent' || !events.message) return;
          sink.delivered(index, events.message);
          const seq = schedule.arrived(index, events.message.seq);
          if (seq !== undefined) sendReceipt(pair, seq);
        },
        (error) => {
          if (!closing) sink.streamFailed(index, error);
        },
      );
      return pair;
    });
    if (pairs[0]) route = await mutationRoute(pairs[0]);
  } catch (error) {
    close();
    throw error;
  }

  return {
    pairCount: pairs.length,
    mutationRoute: route,
    send: async (index, message: OutgoingMessage) => {
      const pair = pairs[index];
      if (!pair) throw new Error(`no Parley pair ${index}`);
      const { sendMessage } = await mutate<SendData>(pair.sender, sendMessageMutation, {
        conversationId: pair.conversationId,
        ...message,
      });
      // Every clientMessageId is new, so a "duplicate" answer would mean a broken idempotency key.
      if (sendMessage.duplicate) {
        throw new OperationError([{ message: 'fresh message reported as duplicate' }], 'DUPLICATE');
      }
    },
    settleReceipts: async () => {
      pairs.forEach((pair, index) => {
        const seq = schedule.owed(index);
        if (seq !== undefined) sendReceipt(pair, seq);
      });
      await Promise.all(receiptsInFlight);
    },
    close: async () => close(),
  };
}

/**
 * Tries a mutation with no effect (a receipt for seq 0) over a receiver's socket. A server that
 * treats the WebSocket's upgrade request (a GET) as the operation's HTTP request refuses every
 * mutation there, as HTTP GET must; then the bench falls back to POST.
 */
async function mutationRoute(pair: ParleyPair): Promise<MutationRoute> {
  try {
    await pair.receiver.socket.execute(markDeliveredMutation, {
      conversationId: pair.conversationId,
      seq: 0,
    });
    return { via: 'graphql-ws' };
  } catch (error) {
    if (error instanceof OperationError && /POST/.test(error.message)) {
      return { via: 'http', because: `graphql-ws refused a mutation: "${error.message}"` };
    }
    throw error;
  }
}
