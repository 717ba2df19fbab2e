// Server-only. graphql-ws on the API's own HTTP port. Each operation is run through the same yoga
// pipeline as HTTP (parse, validate with the same limits, execute or subscribe). The device token
// arrives in connection_init and is checked once per connection; a browser's Origin is checked on
// upgrade, since WebSockets are not covered by CORS.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';

import { userChannel } from '../bus/events.js';
import { largestOperationBytes } from '../config.js';
import type { Deps } from '../deps.js';
import { ParleyError } from '../errors.js';
import type { ParleyYoga } from '../graphql/create-yoga.js';
import { authenticate } from '../identity/accounts.js';
import { readBearerToken } from '../identity/device-token.js';
import type { Viewer } from '../viewer.js';
import type { PresenceTracker } from './presence.js';

/** Close codes Parley adds to graphql-ws's own (4400 to 4499 is the application's range). */
export const closeCodes = {
  deviceRevoked: 4403,
  goingAway: 1001,
} as const;

type ConnectionState = {
  viewer?: Viewer;
  connectionId?: string;
  stopWatchingRevocation?: () => void;
};

type Extra = { socket: WebSocket; request: IncomingMessage; state: ConnectionState };

function tokenFrom(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  const headers = params.headers as Record<string, unknown> | undefined;
  return readBearerToken(
    params.authorization ??
      params.Authorization ??
      params.token ??
      headers?.Authorization ??
      headers?.authorization,
  );
}

export function originAllowed(
  origin: string | undefined,
  request: IncomingMessage,
  allowed: readonly string[] | undefined,
): boolean {
  // Non-browser clients (bots, servers) send no Origin; browsers always do.
  if (origin === undefined) return true;
  if (allowed) return allowed.includes(origin);
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export type ParleyWebSockets = {
  readonly server: WebSocketServer;
  /** Closes every socket with 1001 and stops the server. */
  close(): Promise<void>;
};

export function attachWebSockets(
  httpServer: Server,
  yoga: ParleyYoga,
  deps: Deps,
  presence: PresenceTracker,
): ParleyWebSockets {
  const log = deps.log.child({ subsystem: 'websocket' });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: largestOperationBytes(deps.config),
  });

  httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== yoga.graphqlEndpoint) return refuse('404 Not Found');
    if (!originAllowed(request.headers.origin, request, deps.config.allowedOrigins)) {
      log.warn({ origin: request.headers.origin }, 'refused a WebSocket from a foreign origin');
      return refuse('403 Forbidden');
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (socket: WebSocket) => {
    socket.on('error', (error) => log.debug({ err: error }, 'socket error'));
  });

  const graphqlWs = useServer<Record<string, unknown>, { state: ConnectionState }>(
    {
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const extra = ctx.extra as Extra;
        extra.state = {};
        const token = tokenFrom(ctx.connectionParams);
        if (!token) return false;
        let viewer: Viewer;
        try {
          viewer = await authenticate(deps, token);
        } catch (error) {
          if (error instanceof ParleyError) return false;
          throw error;
        }
        const connectionId = crypto.randomUUID();
        extra.state.viewer = viewer;
        extra.state.connectionId = connectionId;

        // Revoking a device closes its sockets on whichever instance holds them.
        extra.state.stopWatchingRevocation = await deps.bus.subscribe(
          userChannel(viewer.userId),
          (event) => {
            if (event.type === 'device_revoked' && event.deviceId === viewer.deviceId) {
              extra.socket.close(closeCodes.deviceRevoked, 'Device revoked');
            }
          },
        );
        await presence.connected(viewer, connectionId);
        log.debug({ deviceId: viewer.deviceId, connectionId }, 'connection acknowledged');
        return true;
      },
      onClose: async (ctx) => {
        const { state } = ctx.extra as Extra;
        state?.stopWatchingRevocation?.();
        if (state?.viewer && state.connectionId) {
          // graphql-ws does not wait on this hook, so its failures must end here.
          await presence.disconnected(state.viewer, state.connectionId).catch((error: unknown) => {
            log.warn({ err: error, connectionId: state.connectionId }, 'presence update failed');
          });
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const extra = ctx.extra as Extra;
        const viewer = extra.state.viewer;
        // No `request` here: yoga's guards read its method, and the upgrade was a GET, which
        // would refuse every mutation sent over the socket.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          req: extra.request,
          viewer,
          params: payload,
          socket: extra.socket,
        } as never);
        // Limits may reject while parsing or validating by throwing; the client gets them as
        // the operation's errors, as over HTTP, and the connection stays open.
        let document: ExecutionArgs['document'];
        try {
          document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        } satisfies ExecutionArgs;
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => never }).execute(args),
      subscribe: (args) =>
        (args.rootValue as { subscribe: (a: ExecutionArgs) => never }).subscribe(args),
    },
    wss,
  );

  return {
    server: wss,
    close: async () => {
      for (const client of wss.clients) client.close(closeCodes.goingAway, 'Server shutting down');
      await graphqlWs.dispose();
    },
  };
}

export { CloseCode };
