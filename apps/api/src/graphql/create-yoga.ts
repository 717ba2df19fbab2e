// Server-only. The GraphQL pipeline: one graphql-yoga instance that HTTP requests and WebSocket
// operations both go through, so both get the same authentication, limits and error masking.
import type { IncomingMessage } from 'node:http';

import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';

import type { Deps } from '../deps.js';
import type { User } from '../generated/prisma/client.ts';
import { ParleyError } from '../errors.js';
import { authenticate } from '../identity/accounts.js';
import { readBearerToken } from '../identity/device-token.js';
import type { Viewer } from '../viewer.js';
import type { Context } from './context.js';
import { graphiqlExampleHeaders, graphiqlExampleOperations } from './graphiql-example.js';
import { schema } from './schema.js';
import { type OperationTracker, useDrain } from './use-drain.js';
import { useOperationLimits, type OperationLimits } from './use-operation-limits.js';
import { useRateLimit } from './use-rate-limit.js';

/** What the HTTP adapter and the WebSocket adapter each hand to yoga. */
export type ServerContext = {
  /** The HTTP request, or the WebSocket's upgrade request. */
  readonly req: IncomingMessage;
  /** Set on WebSocket operations: the device authenticated at connection_init. */
  readonly viewer?: Viewer;
};

export type ParleyYoga = YogaServerInstance<ServerContext, Context>;

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const first = forwarded.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

export function createParleyYoga(
  deps: Deps,
  options: { operationLimits?: OperationLimits; trustProxy: boolean; tracker: OperationTracker },
): ParleyYoga {
  const log = deps.log.child({ subsystem: 'graphql' });
  let graphiqlPage: Promise<string> | undefined;

  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    logging: false,
    landingPage: false,
    plugins: [
      useDrain(options.tracker),
      ...useOperationLimits(options.operationLimits),
      useRateLimit(deps.limits.operationsPerClient),
    ],
    graphiql: deps.config.graphiql
      ? {
          title: 'Parley API',
          defaultQuery: graphiqlExampleOperations,
          headers: graphiqlExampleHeaders,
        }
      : false,
    // The page inlines GraphiQL's assets from the installed package, so nothing comes from a CDN.
    // Those assets weigh some 80 MB in memory once loaded, so they load on the first visit.
    renderGraphiQL: async (graphiqlOptions) => {
      graphiqlPage ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) =>
        renderGraphiQL(graphiqlOptions),
      );
      return graphiqlPage;
    },
    maskedErrors: {
      maskError: (error) => {
        const original = error instanceof GraphQLError ? error.originalError : error;
        if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) {
          return error;
        }
        log.error({ err: original ?? error }, 'unexpected error in an operation');
        return new GraphQLError('Unexpected error.', {
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
          ...(error instanceof GraphQLError && error.path ? { path: error.path } : {}),
        });
      },
    },
    context: async (initial): Promise<Context> => {
      let viewer: Viewer | null = initial.viewer ?? null;
      let self: Promise<User> | undefined;
      const base = {
        deps,
        clientAddress: clientAddress(initial.req, options.trustProxy),
        receiptSummaries: new Map(),
        self: () => {
          const id = viewer?.userId;
          if (!id) return Promise.reject(new ParleyError('UNAUTHENTICATED', 'Sign in first.'));
          self ??= deps.db.prisma.user.findUniqueOrThrow({ where: { id } });
          return self;
        },
      };
      if (viewer) return { ...base, viewer, authError: null };

      const header = initial.request?.headers.get('authorization') ?? null;
      if (header === null) return { ...base, viewer: null, authError: null };
      const token = readBearerToken(header);
      if (!token) {
        const authError = new ParleyError(
          'UNAUTHENTICATED',
          'Authorization must be "Bearer <token>".',
        );
        return { ...base, viewer: null, authError };
      }
      try {
        viewer = await authenticate(deps, token);
        return { ...base, viewer, authError: null };
      } catch (error) {
        if (error instanceof ParleyError) return { ...base, viewer: null, authError: error };
        throw error;
      }
    },
  });
}
