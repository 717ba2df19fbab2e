// Browser-only (page). The urql client: queries and mutations over HTTP, the device's event
// stream over graphql-ws on the same origin. Reconnecting is the engine's decision (it resumes
// from the cursors it holds at that moment), so graphql-ws itself never retries.
import { Client, fetchExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createSocketClient, type Client as SocketClient } from 'graphql-ws';

export type ApiClients = { readonly client: Client; readonly socket: SocketClient };

export function createApiClients(token: string | undefined): ApiClients {
  const origin = window.location.origin;
  const socket = createSocketClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    connectionParams: () => (token ? { authorization: `Bearer ${token}` } : {}),
    lazy: true,
    retryAttempts: 0,
    keepAlive: 20_000,
  });
  const client = new Client({
    url: `${origin}/graphql`,
    requestPolicy: 'network-only',
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = socket.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
  return { client, socket };
}

/** The stable code of a GraphQL error (schema: extensions.code), or 'NETWORK' when offline. */
export function errorCode(error: CombinedError): string {
  if (error.networkError) return 'NETWORK';
  const code = error.graphQLErrors[0]?.extensions?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  static from(error: CombinedError): ApiError {
    const first = error.graphQLErrors[0];
    return new ApiError(errorCode(error), first?.message ?? error.message, first?.extensions);
  }
}
