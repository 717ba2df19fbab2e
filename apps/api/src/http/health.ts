// Server-only. Liveness and readiness for load balancers and orchestrators. Liveness says the
// process serves HTTP; readiness says it can do useful work (database and Redis reachable) and
// is not draining, so a balancer stops sending it new connections during shutdown.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type ReadinessCheck = () => Promise<void>;

export function handleHealth(
  req: IncomingMessage,
  res: ServerResponse,
  checks: { readonly draining: () => boolean; readonly ready: ReadinessCheck },
): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz') {
    respond(res, 200, { status: 'ok' });
    return true;
  }
  if (path !== '/readyz') return false;
  if (checks.draining()) {
    respond(res, 503, { status: 'draining' });
    return true;
  }
  checks.ready().then(
    () => respond(res, 200, { status: 'ready' }),
    () => respond(res, 503, { status: 'unavailable' }),
  );
  return true;
}

function respond(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
