// Bench-only. One Parley API instance as production runs it: `main.ts` in a process of its own,
// configured only through the environment, with the default limits. It counts as started when
// /readyz answers 200, which needs its database and Redis to answer too.
import { fileURLToPath } from 'node:url';

import { startChildService, type ChildService } from './child-service.js';
import { sleep } from './clock.js';
import { freePort } from './free-port.js';

export type ApiInstance = ChildService & {
  /** http://127.0.0.1:port */
  readonly url: string;
  /** ws://127.0.0.1:port/graphql, for graphql-ws. */
  readonly graphqlWsUrl: string;
  /** The DevTools endpoint, when started with `inspector`. */
  readonly inspectorUrl: string | undefined;
};

export type ApiInstanceOptions = {
  readonly name: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly readyTimeoutMs?: number;
  /** Opens the inspector on a free loopback port, to trigger garbage collections from outside. */
  readonly inspector?: boolean;
};

const quietLines =
  /^(Parley is running at|For help, see: https:\/\/nodejs\.org|Debugger (attached|ending))/;

// V8 grows and shrinks its young generation with the allocation rate, which moves resident
// memory by tens of megabytes at a time. Holding it at its default maximum keeps that out of
// memory readings; it changes nothing else in the instance.
const fixedYoungGeneration = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

const apiDirectory = fileURLToPath(new URL('../../apps/api/', import.meta.url));

export async function startApiInstance(options: ApiInstanceOptions): Promise<ApiInstance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let inspectorUrl: string | undefined;
  const child = startChildService({
    name: options.name,
    args: [
      ...(options.inspector ? ['--inspect=127.0.0.1:0', ...fixedYoungGeneration] : []),
      'src/main.ts',
    ],
    cwd: apiDirectory,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: options.redisPrefix,
      LOG_LEVEL: 'warn',
      GRAPHIQL: 'false',
      SHUTDOWN_GRACE_SECONDS: '2',
    },
    onLine: (line) => {
      const inspector = /^Debugger listening on (ws:\/\/\S+)$/.exec(line);
      if (inspector?.[1]) inspectorUrl = inspector[1];
      // The banners are for people running the server by hand, and the inspector's for people
      // at a debugger; the bench attaches only to collect garbage.
      return inspector !== null || quietLines.test(line);
    },
  });

  const deadline = performance.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exit !== undefined) {
      throw new Error(`${options.name} ${child.exit} before it was ready:\n${child.tail()}`);
    }
    if (await isReady(url)) break;
    if (performance.now() > deadline) {
      await child.stop();
      throw new Error(`${options.name} was not ready at ${url}/readyz in time:\n${child.tail()}`);
    }
    await sleep(200);
  }

  if (options.inspector && inspectorUrl === undefined) {
    await child.stop();
    throw new Error(`${options.name} did not announce its inspector:\n${child.tail()}`);
  }
  return Object.assign(child, {
    url,
    graphqlWsUrl: `ws://127.0.0.1:${port}/graphql`,
    inspectorUrl,
  });
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}
