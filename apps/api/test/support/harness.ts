// Test-only. Starts real Parley servers in this process, on loopback ports, and drives them the
// way a third-party client does: GraphQL over HTTP with fetch, subscriptions over graphql-ws.
import { after } from 'node:test';

import { loadConfig } from '../../src/config.js';
import type { OperationLimits } from '../../src/graphql/use-operation-limits.js';
import type { CodeSender } from '../../src/identity/code-sender.js';
import type { Limits } from '../../src/limits.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { startParleyServer, type ParleyServer } from '../../src/server.js';
import {
  createTestDatabase,
  redisUrl,
  uniqueRedisPrefix,
  type TestDatabase,
} from './environment.js';

/** Codes the servers "sent", by phone number, for tests to type in. */
export class CapturedCodes implements CodeSender {
  readonly latest = new Map<string, string>();

  async send(phoneNumber: string, code: string): Promise<void> {
    this.latest.set(phoneNumber, code);
  }

  for(phoneNumber: string): string {
    const code = this.latest.get(phoneNumber);
    if (!code) throw new Error(`no code was sent to ${phoneNumber}`);
    return code;
  }
}

export type GraphQLResponse<T = Record<string, any>> = {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
};

export type Cluster = {
  readonly servers: ParleyServer[];
  readonly codes: CapturedCodes;
  readonly database: TestDatabase;
  /** Starts one more instance on the same database (and Redis, when shared). */
  addServer(): Promise<ParleyServer>;
};

export type ClusterOptions = {
  readonly instances?: number;
  /** Use Redis for fan-out and ephemeral state; skipped tests say why when REDIS_URL is unset. */
  readonly redis?: boolean;
  readonly limits?: Partial<Limits>;
  readonly operationLimits?: OperationLimits;
  readonly env?: Record<string, string>;
  /** Where the servers log; by default nowhere, unless TEST_LOG_LEVEL is set. */
  readonly logger?: Logger;
};

/** Starts servers for one test file and stops them, and drops their database, at its end. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const database = await createTestDatabase();
  const codes = new CapturedCodes();
  const prefix = uniqueRedisPrefix();
  const useRedis = options.redis ?? redisUrl !== undefined;
  const servers: ParleyServer[] = [];

  const addServer = async () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: database.dataDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      REDIS_PREFIX: prefix,
      SHUTDOWN_GRACE_SECONDS: '2',
      ...(database.url && { DATABASE_URL: database.url }),
      ...(useRedis && redisUrl && { REDIS_URL: redisUrl }),
      ...options.env,
    });
    const server = await startParleyServer({
      config,
      codeSender: codes,
      logger: options.logger ?? createLogger(config.logLevel),
      ...(options.operationLimits && { operationLimits: options.operationLimits }),
      limits: {
        // Tests sign up many users from one address.
        codesPerAddress: { limit: 10_000, windowMs: 60_000 },
        verificationsPerAddress: { limit: 10_000, windowMs: 60_000 },
        ...options.limits,
      },
    });
    servers.push(server);
    return server;
  };

  for (let i = 0; i < (options.instances ?? 1); i += 1) await addServer();

  after(async () => {
    await Promise.allSettled(servers.map((server) => server.close()));
    await database.drop();
  });
  return { servers, codes, database, addServer };
}

export async function gql<T = Record<string, any>>(
  server: ParleyServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Runs an operation that must succeed, and returns its data. */
export async function ok<T = Record<string, any>>(
  server: ParleyServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const result = await gql<T>(server, query, variables, token);
  if (result.errors?.length || !result.data) {
    throw new Error(`operation failed: ${JSON.stringify(result.errors)}`);
  }
  return result.data;
}

/** The error code of an operation that must fail. */
export async function errorCode(
  server: ParleyServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<string | undefined> {
  const result = await gql(server, query, variables, token);
  if (!result.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.errors[0]?.extensions?.code;
}

export type Account = {
  readonly token: string;
  readonly userId: string;
  readonly deviceId: string;
  readonly phoneNumber: string;
};

let nextNumber = Math.floor(Math.random() * 5_000);

/** A fresh valid phone number, different in every call of a test file. */
export function newPhoneNumber(): string {
  nextNumber = (nextNumber + 1) % 10_000;
  return `+1415555${String(nextNumber).padStart(4, '0')}`;
}

export async function signUp(
  cluster: Cluster,
  options: { phoneNumber?: string; name?: string; deviceName?: string; server?: ParleyServer } = {},
): Promise<Account> {
  const server = options.server ?? cluster.servers[0]!;
  const phoneNumber = options.phoneNumber ?? newPhoneNumber();
  await ok(
    server,
    'mutation($p: String!) { requestVerificationCode(input: { phoneNumber: $p }) { phoneNumber } }',
    {
      p: phoneNumber,
    },
  );
  const data = await ok<{
    verifyCode: { token: string; user: { id: string }; device: { id: string } };
  }>(
    server,
    `mutation($p: String!, $c: String!, $d: String!) {
      verifyCode(input: { phoneNumber: $p, code: $c, deviceName: $d }) {
        token user { id } device { id }
      }
    }`,
    { p: phoneNumber, c: cluster.codes.for(phoneNumber), d: options.deviceName ?? 'test device' },
  );
  const { token, user, device } = data.verifyCode;
  if (options.name) {
    await ok(
      server,
      'mutation($n: String!) { updateProfile(input: { displayName: $n }) { id } }',
      {
        n: options.name,
      },
      token,
    );
  }
  return { token, userId: user.id, deviceId: device.id, phoneNumber };
}

/** The uuid inside a global id ("Type:uuid" in base64), for reading rows in tests. */
export function uuidOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString().split(':')[1]!;
}

export async function startDirect(cluster: Cluster, from: Account, to: Account): Promise<string> {
  const data = await ok<{ startDirectConversation: { id: string } }>(
    cluster.servers[0]!,
    'mutation($u: ID!) { startDirectConversation(input: { userId: $u }) { id } }',
    { u: to.userId },
    from.token,
  );
  return data.startDirectConversation.id;
}

export const sendMutation = `
  mutation($c: ID!, $id: String!, $b: Bytes!) {
    sendMessage(input: { conversationId: $c, clientMessageId: $id, ciphertext: $b }) {
      duplicate
      message { id seq clientMessageId ciphertext status }
    }
  }`;

export async function send(
  server: ParleyServer,
  account: Account,
  conversationId: string,
  text: string,
  clientMessageId: string = crypto.randomUUID(),
): Promise<{ seq: number; duplicate: boolean; id: string }> {
  const data = await ok<{
    sendMessage: { duplicate: boolean; message: { seq: number; id: string } };
  }>(
    server,
    sendMutation,
    { c: conversationId, id: clientMessageId, b: Buffer.from(text).toString('base64') },
    account.token,
  );
  return { ...data.sendMessage.message, duplicate: data.sendMessage.duplicate };
}

export const markDeliveredMutation = `mutation($c: ID!, $s: Int!) {
  markDelivered(input: { conversationId: $c, seq: $s }) { deliveredUpTo }
}`;

export const markReadMutation = `mutation($c: ID!, $s: Int!) {
  markRead(input: { conversationId: $c, seq: $s }) { readUpTo }
}`;

export {
  decodeText,
  eventsSubscription,
  isMessage,
  subscribe,
  type Subscriber,
} from './subscriber.js';
