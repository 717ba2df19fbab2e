// Server-only. Wires Parley's API together: storage, fan-out, the GraphQL pipeline, WebSockets
// and health, all on one HTTP port. Each phase below builds on the ones before it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { MemoryBus } from './bus/memory-bus.js';
import { RedisBus } from './bus/redis-bus.js';
import type { EventBus } from './bus/event-bus.js';
import { largestOperationBytes, type Config } from './config.js';
import { openDatabase } from './db/database.js';
import type { Deps } from './deps.js';
import type { EphemeralStore } from './ephemeral/ephemeral-store.js';
import { MemoryStore } from './ephemeral/memory-store.js';
import { RedisStore } from './ephemeral/redis-store.js';
import { createParleyYoga } from './graphql/create-yoga.js';
import { OperationTracker } from './graphql/use-drain.js';
import type { OperationLimits } from './graphql/use-operation-limits.js';
import { handleHealth } from './http/health.js';
import { openStaticWeb } from './http/static-web.js';
import { loadCodeSender, type CodeSender } from './identity/code-sender.js';
import { defaultLimits, type Limits } from './limits.js';
import { createLogger, type Logger } from './logger.js';
import { createMediaRoutes } from './media/media-routes.js';
import { PushNotifier } from './push/push-notifier.js';
import { loadVapidKeys } from './push/vapid-keys.js';
import { PresenceTracker } from './realtime/presence.js';
import { attachWebSockets } from './realtime/ws-server.js';

export type ParleyServerOptions = {
  readonly config: Config;
  /** Where verification codes go. Default: CODE_SENDER from the configuration. */
  readonly codeSender?: CodeSender;
  readonly limits?: Partial<Limits>;
  readonly operationLimits?: OperationLimits;
  readonly logger?: Logger;
};

export type ParleyServer = {
  readonly deps: Deps;
  readonly httpServer: Server;
  /** http://host:port of the running server. */
  readonly url: string;
  /** Whether it serves the web app at / (WEB_ROOT, or the default export when built). */
  readonly servesWebApp: boolean;
  /** Stops accepting, closes sockets with 1001, finishes in-flight requests, then releases. */
  close(): Promise<void>;
};

export async function startParleyServer(options: ParleyServerOptions): Promise<ParleyServer> {
  const { config } = options;
  const log = options.logger ?? createLogger(config.logLevel);

  // Storage and fan-out: real services when configured, embedded ones otherwise.
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, log });
  const bus: EventBus = config.redisUrl
    ? new RedisBus(config.redisUrl, config.redisPrefix, log.child({ subsystem: 'bus' }))
    : new MemoryBus();
  const store: EphemeralStore = config.redisUrl
    ? new RedisStore(config.redisUrl, config.redisPrefix, log.child({ subsystem: 'store' }))
    : new MemoryStore();
  const limits: Limits = { ...defaultLimits, ...options.limits };
  const vapidKeys = await loadVapidKeys(db, config.push.vapidKeys, log);
  const deps: Deps = {
    config,
    db,
    bus,
    store,
    codeSender: options.codeSender ?? (await loadCodeSender(config.codeSender)),
    limits,
    log,
    typingTimers: new Map(),
    push: new PushNotifier({ config, db, store, limits, log }, vapidKeys),
  };

  // Media and the web app's files, on the same origin as the API.
  const media = await createMediaRoutes(deps);
  const web = await openStaticWeb({ ...config.web, log });

  // GraphQL over HTTP, health, media and the app beside it.
  const operations = new OperationTracker();
  const yoga = createParleyYoga(deps, {
    trustProxy: config.trustProxy,
    tracker: operations,
    ...(options.operationLimits && { operationLimits: options.operationLimits }),
  });
  let draining = false;
  const maxBodyBytes = largestOperationBytes(config);
  const httpServer = createServer((req, res) => {
    if (handleHealth(req, res, { draining: () => draining, ready: () => ready(deps) })) return;
    if (media.handle(req, res)) return;
    if (web?.handle(req, res)) return;
    // The largest legitimate body is one message, or one commit with its Welcome, in base64 with
    // its operation; refuse more before reading it. (Bodies sent without a length still reach
    // yoga, which reads them.)
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > maxBodyBytes) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(
        JSON.stringify({
          errors: [
            { message: 'Request body too large.', extensions: { code: 'MESSAGE_TOO_LARGE' } },
          ],
        }),
      );
      req.resume();
      return;
    }
    void yoga(req, res);
  });

  // GraphQL over WebSocket on the same port, with presence.
  const presence = new PresenceTracker(deps);
  const sockets = attachWebSockets(httpServer, yoga, deps, presence);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url, database: db.kind, bus: config.redisUrl ? 'redis' : 'memory' }, 'listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // Stop taking work, tell sockets to go elsewhere, let accepted operations finish, then
      // release connections and storage in the reverse order of their creation.
      draining = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      await sockets.close();
      await presence.disconnectAll();
      const graceEnds = Date.now() + config.shutdownGraceMs;
      await operations.drained(config.shutdownGraceMs);
      // The pushes those operations queued get what is left of the grace period.
      await deps.push.close(Math.max(graceEnds - Date.now(), 0));
      httpServer.closeAllConnections();
      for (const timer of deps.typingTimers.values()) clearTimeout(timer);
      await Promise.allSettled([bus.close(), store.close()]);
      await db.close();
      log.info('stopped');
    })();
    return closing;
  };

  return { deps, httpServer, url, servesWebApp: web !== undefined, close };
}

async function ready(deps: Deps): Promise<void> {
  await deps.db.sql.query('SELECT 1');
  // A round trip to Redis when it is configured; the memory store answers without one.
  await deps.store.hit('readiness', Number.MAX_SAFE_INTEGER, 1_000);
}
