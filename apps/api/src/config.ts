// Server-only. Configuration comes from the environment, is validated once at start, and every
// problem is reported at once with the variable's name, so a bad deploy fails loudly and early.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** A key as Web Push writes it (RFC 8292, section 3.2): base64url without padding. */
const base64urlKey = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected base64url without padding')
    .refine((value) => Buffer.from(value, 'base64url').length === bytes, {
      message: `expected ${bytes} bytes once decoded`,
    });

const environmentSchema = z.object({
  /** Port of the one HTTP origin that serves GraphQL, WebSockets and health. Default 4000. */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to listen on. Default 127.0.0.1: the embedded default is for one machine. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Postgres URL. Unset: an embedded PGlite database in `DATA_DIR`. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Redis URL. Unset: an in-process event bus and in-memory presence, typing and limits. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Where the embedded default keeps its data. Default `./data` under the working directory. */
  DATA_DIR: z.string().min(1).default('data'),
  /** The exported web app to serve at `/`. Default: this repository's apps/web/out, if built. */
  WEB_ROOT: z.string().min(1).optional(),
  /** Largest media upload (encrypted file), in bytes. Default 100 MiB. */
  MAX_MEDIA_BYTES: z.coerce.number().int().min(1024).max(4_294_967_296).default(104_857_600),
  /** Browser origins allowed to open WebSockets, comma-separated. Default: the server's own. */
  ALLOWED_ORIGINS: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted message ciphertext, in bytes. Default 64 KiB; media travels separately. */
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(256).max(1_048_576).default(65_536),
  /** Largest MLS commit plus Welcome, in bytes: adding a thousand devices takes about 1 MB. */
  MAX_HANDSHAKE_BYTES: z.coerce.number().int().min(4096).max(16_777_216).default(4_194_304),
  /** Where verification codes go: `console` (development) or a module path exporting a sender. */
  CODE_SENDER: z.string().min(1).default('console'),
  /** Prefix for every Redis key and channel, so that several deployments can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default('parley'),
  /** Serve GraphiQL at the GraphQL endpoint. Default true. */
  GRAPHIQL: booleanFlag.default(true),
  /** Take client addresses from X-Forwarded-For; set only behind a trusted balancer. */
  TRUST_PROXY: booleanFlag.default(false),
  /** Seconds to wait for in-flight work on SIGTERM before closing anyway. Default 10. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  /** The VAPID key pair (RFC 8292) in base64url: the P-256 public point and private scalar.
   * Unset: a pair generated once and kept in the database, shared by every instance. */
  VAPID_PUBLIC_KEY: base64urlKey(65).optional(),
  VAPID_PRIVATE_KEY: base64urlKey(32).optional(),
  /** Whom push services contact about this server's pushes: a mailto: or https: URL. */
  VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/, 'expected a mailto: or https: URL')
    .default('mailto:admin@localhost'),
  /** Accept http:// push endpoints on loopback addresses: for tests and local push services. */
  PUSH_ALLOW_INSECURE_ENDPOINTS: booleanFlag.default(false),
});

// apps/web/out beside this package, wherever the repository was checked out or started from.
const defaultWebRoot = fileURLToPath(new URL('../../web/out', import.meta.url));

export type Config = {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  /** Where the web app's export is, and whether WEB_ROOT named it (then it must exist). */
  readonly web: { readonly root: string; readonly required: boolean };
  readonly maxMediaBytes: number;
  readonly allowedOrigins: readonly string[] | undefined;
  readonly logLevel: string;
  readonly maxMessageBytes: number;
  readonly maxHandshakeBytes: number;
  readonly codeSender: string;
  readonly redisPrefix: string;
  readonly graphiql: boolean;
  readonly shutdownGraceMs: number;
  readonly trustProxy: boolean;
  readonly push: {
    /** From the environment; undefined means the pair kept in the database. */
    readonly vapidKeys: { readonly publicKey: string; readonly privateKey: string } | undefined;
    readonly vapidSubject: string;
    readonly allowInsecureEndpoints: boolean;
  };
};

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from `env`, treating empty variables as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    redisUrl: values.REDIS_URL,
    dataDir: path.resolve(values.DATA_DIR),
    web: {
      root: path.resolve(values.WEB_ROOT ?? defaultWebRoot),
      required: values.WEB_ROOT !== undefined,
    },
    maxMediaBytes: values.MAX_MEDIA_BYTES,
    allowedOrigins: values.ALLOWED_ORIGINS?.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== ''),
    logLevel: values.LOG_LEVEL,
    maxMessageBytes: values.MAX_MESSAGE_BYTES,
    maxHandshakeBytes: values.MAX_HANDSHAKE_BYTES,
    codeSender: values.CODE_SENDER,
    redisPrefix: values.REDIS_PREFIX,
    graphiql: values.GRAPHIQL,
    shutdownGraceMs: values.SHUTDOWN_GRACE_SECONDS * 1000,
    trustProxy: values.TRUST_PROXY,
    push: {
      vapidKeys: vapidKeysFrom(values.VAPID_PUBLIC_KEY, values.VAPID_PRIVATE_KEY),
      vapidSubject: values.VAPID_SUBJECT,
      allowInsecureEndpoints: values.PUSH_ALLOW_INSECURE_ENDPOINTS,
    },
  };
}

/** The VAPID pair from the environment: both halves, or neither. */
function vapidKeysFrom(publicKey: string | undefined, privateKey: string | undefined) {
  if (publicKey === undefined && privateKey === undefined) return undefined;
  if (publicKey === undefined || privateKey === undefined) {
    throw new ConfigError(['VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY: set both, or neither']);
  }
  return { publicKey, privateKey };
}

/** One message or one handshake (commit plus Welcome), as base64 in JSON, with room to spare. */
export function largestOperationBytes(config: Config): number {
  const payload = Math.max(config.maxMessageBytes, config.maxHandshakeBytes);
  return Math.ceil((payload * 4) / 3) + 64 * 1024;
}
