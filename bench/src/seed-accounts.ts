// Bench-only. Creates the accounts and conversations the run needs, the way a client would
// (phone number, one-time code, then startDirectConversation), through a Parley server started
// in this process for setup only. It captures the codes instead of sending them, and allows one
// address many sign-ups, as the API's own test harness does.
import { loadConfig } from '../../apps/api/src/config.js';
import type { CodeSender } from '../../apps/api/src/identity/code-sender.js';
import { createLogger } from '../../apps/api/src/logger.js';
import { startParleyServer } from '../../apps/api/src/server.js';
import { GraphQLHttpClient } from './graphql-over-http.js';
import { mapConcurrently } from './map-concurrently.js';
import { relaxedLimits } from './parley-limits.js';

export type Account = {
  readonly token: string;
  readonly userId: string;
  readonly deviceId: string;
};

/** Two accounts and the direct conversation between them. */
export type SeededConversation = {
  readonly sender: Account;
  readonly receiver: Account;
  /** Global id, as the API takes it. */
  readonly conversationId: string;
};

export type Seed = {
  /** One per load pair. */
  readonly pairs: readonly SeededConversation[];
  /** Conversations whose two members hold the idle connections. */
  readonly idle: readonly SeededConversation[];
};

export type SeedOptions = {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly pairs: number;
  readonly idleConversations: number;
};

class CapturedCodes implements CodeSender {
  readonly #codes = new Map<string, string>();

  async send(phoneNumber: string, code: string): Promise<void> {
    this.#codes.set(phoneNumber, code);
  }

  take(phoneNumber: string): string {
    const code = this.#codes.get(phoneNumber);
    if (code === undefined) throw new Error(`the server sent no code to ${phoneNumber}`);
    this.#codes.delete(phoneNumber);
    return code;
  }
}

const requestCode = `mutation RequestCode($phoneNumber: String!) {
  requestVerificationCode(input: { phoneNumber: $phoneNumber }) { phoneNumber }
}`;

const verifyCode = `mutation Verify($phoneNumber: String!, $code: String!) {
  verifyCode(input: { phoneNumber: $phoneNumber, code: $code, deviceName: "bench" }) {
    token user { id } device { id }
  }
}`;

const startDirect = `mutation StartDirect($userId: ID!) {
  startDirectConversation(input: { userId: $userId }) { id }
}`;

export async function seedAccounts(options: SeedOptions): Promise<Seed> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.redisPrefix,
    LOG_LEVEL: 'warn',
    GRAPHIQL: 'false',
    SHUTDOWN_GRACE_SECONDS: '2',
  });
  const codes = new CapturedCodes();
  const server = await startParleyServer({
    config,
    codeSender: codes,
    logger: createLogger(config.logLevel),
    limits: relaxedLimits(),
  });
  const http = new GraphQLHttpClient(`${server.url}/graphql`);

  const signUp = async (index: number): Promise<Account> => {
    // 415-555-xxxx numbers pass the API's validation, and each run has a database of its own,
    // so the same numbers serve every run.
    const phoneNumber = `+1415555${String(index).padStart(4, '0')}`;
    await http.execute(requestCode, { phoneNumber });
    const { verifyCode: signedIn } = await http.execute<{
      verifyCode: { token: string; user: { id: string }; device: { id: string } };
    }>(verifyCode, { phoneNumber, code: codes.take(phoneNumber) });
    return { token: signedIn.token, userId: signedIn.user.id, deviceId: signedIn.device.id };
  };

  const converse = async (index: number): Promise<SeededConversation> => {
    const [sender, receiver] = [await signUp(2 * index), await signUp(2 * index + 1)];
    const { startDirectConversation } = await http.execute<{
      startDirectConversation: { id: string };
    }>(startDirect, { userId: receiver.userId }, sender.token);
    return { sender, receiver, conversationId: startDirectConversation.id };
  };

  try {
    const total = options.pairs + options.idleConversations;
    const conversations = await mapConcurrently(
      Array.from({ length: total }, (_, index) => index),
      8,
      converse,
    );
    return {
      pairs: conversations.slice(0, options.pairs),
      idle: conversations.slice(options.pairs),
    };
  } finally {
    http.close();
    await server.close();
  }
}
