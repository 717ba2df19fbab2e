// Bench-only. The entry point of `pnpm bench`: wires the steps together in order. Set-up (a
// fresh database, accounts, two Parley instances, the relay), then the same measurement against
// Parley and against the bare relay, then idle memory, then the report. Everything started is
// registered for cleanup at once, so a failure or Ctrl-C at any step leaves nothing behind.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';

import { startApiInstance } from './api-instance.js';
import { createBenchDatabase } from './bench-database.js';
import { anomaliesOf, isClean, type BenchResult } from './bench-result.js';
import { parseBenchOptions, usage, UsageError, type BenchOptions } from './bench-options.js';
import type { ChildService } from './child-service.js';
import { CleanupStack } from './cleanup-stack.js';
import { sleep } from './clock.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { formatReport } from './format-report.js';
import { measureIdleMemory } from './idle-memory.js';
import { LoadGenerator } from './load-generator.js';
import { measureTarget, steadyShare, type TargetMeasurement } from './measure-target.js';
import type { PairTransport } from './pair-transport.js';
import { senderRateCap } from './parley-limits.js';
import { connectParleyPairs, type MutationRoute } from './parley-transport.js';
import { PayloadCodec } from './payload-codec.js';
import { progress } from './progress.js';
import { createRedisPrefix } from './redis-prefix.js';
import { startRelayInstance } from './relay-instance.js';
import { connectRelayPairs } from './relay-transport.js';
import { seedAccounts } from './seed-accounts.js';

const resultsFile = new URL('../results/latest.json', import.meta.url);

/** Idle connections share this many conversations' devices (two devices each). */
const idleConversations = 10;

async function runBench(options: BenchOptions, cleanup: CleanupStack): Promise<number> {
  const cores = availableParallelism();

  // Storage: a database of the run's own, and a Redis prefix of its own.
  const database = await createBenchDatabase(options.databaseUrl);
  cleanup.defer('drop the bench database', () => database.drop());
  const redis = createRedisPrefix(options.redisUrl);
  cleanup.defer('clear the bench Redis keys', () => redis.clear());
  const redisPrefix = redis.prefix;
  progress(`database ${database.name}, Redis prefix ${redisPrefix}`);

  // Accounts and conversations, through an in-process server that stops afterwards.
  const seed = await seedAccounts({
    databaseUrl: database.url,
    redisUrl: options.redisUrl,
    redisPrefix,
    pairs: options.pairs,
    idleConversations: options.idleConnections > 0 ? idleConversations : 0,
  });
  progress(`seeded ${seed.pairs.length} pairs and ${seed.idle.length} idle conversations`);

  // Two API instances and the relay, each a child process with a core to compete for.
  const [apiA, apiB] = await startAll(cleanup, ['api-a', 'api-b'], (name) =>
    startApiInstance({ name, databaseUrl: database.url, redisUrl: options.redisUrl, redisPrefix }),
  );
  const [relay] = await startAll(cleanup, ['relay'], () => startRelayInstance());
  // The idle-memory instance starts now but is used last, so that its start-up work (loading
  // and compiling modules) is long finished when its memory is read.
  const [apiIdle] =
    options.idleConnections > 0
      ? await startAll(cleanup, ['api-idle'], (name) =>
          startApiInstance({
            name,
            databaseUrl: database.url,
            redisUrl: options.redisUrl,
            redisPrefix,
            inspector: true,
          }),
        )
      : [undefined];
  progress(`api-a ${apiA.url}, api-b ${apiB.url}, relay ${relay.wsUrl}`);

  // Parley: senders on instance A, receivers on instance B, so every message crosses Redis.
  // Each sender keeps under the API's per-device limits (parley-limits.ts).
  let mutationRoute: MutationRoute = { via: 'graphql-ws' };
  const parley = await measure(
    options,
    cleanup,
    'Parley, 2 instances',
    senderRateCap(),
    async (sink) => {
      const transport = await connectParleyPairs({
        conversations: seed.pairs,
        senderInstance: apiA,
        receiverInstance: apiB,
        receiptEvery: options.receiptEvery,
        sink,
      });
      mutationRoute = transport.mutationRoute;
      if (mutationRoute.via === 'http') {
        progress(`mutations go over HTTP POST: ${mutationRoute.because}`);
      }
      return transport;
    },
  );
  requireAlive([apiA, apiB]);

  const peer = await measure(options, cleanup, 'bare ws relay', undefined, (sink) =>
    connectRelayPairs({
      wsUrl: relay.wsUrl,
      pairCount: options.pairs,
      receiptEvery: options.receiptEvery,
      sink,
    }),
  );
  requireAlive([relay]);

  // Idle memory, on an instance of its own that carried no load, so that no garbage from the
  // load phases muddies the readings; its inspector lets the bench collect garbage before each.
  let idle: BenchResult['idle'] = null;
  if (apiIdle) {
    progress(`idle memory: ${options.idleConnections} subscribed connections to ${apiIdle.name}`);
    idle = await measureIdleMemory({
      instance: apiIdle,
      conversations: seed.idle,
      connections: options.idleConnections,
      rounds: 3,
      settleMs: 2_000,
    });
    requireAlive([apiIdle]);
  }

  // The report, on stdout and as JSON.
  const result: BenchResult = {
    finishedAt: new Date().toISOString(),
    machine: { cores, cpu: cpus()[0]?.model.trim() ?? 'unknown CPU', node: process.version },
    settings: {
      pairs: options.pairs,
      phaseSeconds: options.durationMs / 1_000,
      warmupSeconds: options.warmupMs / 1_000,
      window: options.window,
      receiptEvery: options.receiptEvery,
      payloadBytes: options.payloadBytes,
      steadyShare,
      quick: options.quick,
    },
    parley,
    parleyMutations: mutationRoute,
    relay: peer,
    peakRatio: parley.peakPerSecond / peer.peakPerSecond,
    correctness: { parley: anomaliesOf(parley), relay: anomaliesOf(peer) },
    idle,
  };
  process.stdout.write(`\n${formatReport(result)}`);
  await mkdir(new URL('.', resultsFile), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
  progress(`wrote ${resultsFile.pathname}`);

  const clean = isClean(result.correctness.parley) && isClean(result.correctness.relay);
  const idleLive = !idle || idle.verifiedLive === idle.connections;
  if (!clean) progress('FAILED: lost, duplicated, out-of-order or failed messages (see above)');
  if (!idleLive) progress('FAILED: some idle subscriptions never received their probe message');
  return clean && idleLive ? 0 : 1;
}

/** Connects one system's pairs, runs the shared procedure on it, and disconnects. */
async function measure(
  options: BenchOptions,
  cleanup: CleanupStack,
  name: string,
  maxPairRate: number | undefined,
  connect: (ledger: DeliveryLedger) => Promise<PairTransport>,
): Promise<TargetMeasurement> {
  const codec = new PayloadCodec(options.payloadBytes);
  const ledger = new DeliveryLedger(options.pairs, codec);
  progress(`${name}: connecting ${options.pairs} pairs`);
  const transport = await connect(ledger);
  cleanup.defer(`disconnect ${name}`, () => transport.close());
  // Lets every subscription finish starting on the server before the first message.
  await sleep(1_000);
  try {
    return await measureTarget(
      {
        name,
        transport,
        ledger,
        generator: new LoadGenerator(transport, ledger, codec),
        maxPairRate,
      },
      options,
    );
  } finally {
    await transport.close();
  }
}

/** Starts services side by side, registering each for cleanup as soon as it is up. */
async function startAll<T extends ChildService, const Names extends readonly string[]>(
  cleanup: CleanupStack,
  names: Names,
  start: (name: string) => Promise<T>,
): Promise<{ [Index in keyof Names]: T }> {
  const started = await Promise.allSettled(
    names.map(async (name) => {
      const service = await start(name);
      cleanup.defer(`stop ${name}`, () => service.stop());
      return service;
    }),
  );
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  const services = started.map((outcome) => (outcome as PromiseFulfilledResult<T>).value);
  return services as { [Index in keyof Names]: T };
}

/** A child that died mid-run makes every later number meaningless: stop there. */
function requireAlive(children: readonly ChildService[]): void {
  for (const child of children) {
    if (child.exit !== undefined) {
      throw new Error(`${child.name} ${child.exit} during the run:\n${child.tail()}`);
    }
  }
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    return 64; // EX_USAGE
  }

  const cleanup = new CleanupStack();
  const stop = (why: string, code: number) => {
    progress(`${why}: stopping child processes and dropping the database`);
    cleanup.runAll().then(
      () => process.exit(code),
      () => process.exit(code),
    );
  };
  process.once('SIGINT', () => stop('interrupted', 130));
  process.once('SIGTERM', () => stop('terminated', 143));
  // A last bound on the whole run, whatever step hangs: set-up, phases, drains and idle.
  const runLimitMs = 5 * 60_000 + 8 * options.durationMs;
  setTimeout(() => stop(`over the ${runLimitMs / 1_000} s limit`, 1), runLimitMs).unref();

  try {
    return await runBench(options, cleanup);
  } catch (error) {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : error}\n`);
    return 1;
  } finally {
    for (const failure of await cleanup.runAll()) {
      process.stderr.write(`cleanup failed: ${failure}\n`);
    }
  }
}

// Exits explicitly: a socket still closing must not hold the process after the report.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
