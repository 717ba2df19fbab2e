// Bench-only. One device's graphql-ws connection, as a third-party client opens it: the device
// token in connection_init, then any number of operations over the one socket. Mutations run
// over it as well as subscriptions, so a sender pays no HTTP round trip per message.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

import { OperationError, toOperationError } from './operation-error.js';

export type GraphQLSocket = {
  /** Runs a query or mutation; resolves with its data, rejects with an OperationError. */
  execute<T>(query: string, variables: Record<string, unknown>): Promise<T>;
  /** Starts a subscription; `onError` hears both its errors and its unexpected end. */
  subscribe<T>(
    query: string,
    variables: Record<string, unknown>,
    onData: (data: T) => void,
    onError: (error: Error) => void,
  ): () => void;
  /** Closes the socket without waiting for the server, which is all a benchmark needs. */
  close(): void;
};

export async function openGraphQLSocket(
  url: string,
  token: string,
  timeoutMs = 15_000,
): Promise<GraphQLSocket> {
  let client!: Client;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.terminate();
      reject(new Error(`no connection_ack from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      // A benchmark that reconnected silently would hide exactly what it is there to count.
      retryAttempts: 0,
      on: {
        connected: () => {
          clearTimeout(timer);
          resolve();
        },
      },
      onNonLazyError: (error) => {
        clearTimeout(timer);
        reject(toOperationError(error));
      },
    });
  });

  return {
    execute: <T>(query: string, variables: Record<string, unknown>) =>
      new Promise<T>((resolve, reject) => {
        let result: { data?: T | null; errors?: readonly { message: string }[] } | undefined;
        client.subscribe<T>(
          { query, variables },
          {
            next: (value) => {
              result = value;
            },
            error: (error) => reject(toOperationError(error)),
            complete: () => {
              if (result?.data && !result.errors?.length) resolve(result.data);
              else reject(new OperationError(result?.errors ?? [{ message: 'no result' }]));
            },
          },
        );
      }),
    subscribe: (query, variables, onData, onError) =>
      client.subscribe(
        { query, variables },
        {
          next: (value) => {
            if (value.errors?.length) onError(new OperationError(value.errors));
            else if (value.data) onData(value.data as never);
          },
          error: (error) => onError(toOperationError(error)),
          complete: () => onError(new OperationError([{ message: 'ended' }], 'SUBSCRIPTION_ENDED')),
        },
      ),
    close: () => client.terminate(),
  };
}
