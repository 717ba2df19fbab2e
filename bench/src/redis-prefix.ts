// Bench-only. A Redis key prefix of the run's own, so that its presence, rate-limit and bus
// traffic never meets another deployment's on a shared Redis, and its keys can be removed after.
import { randomBytes } from 'node:crypto';

import { Redis } from 'ioredis';

export type RedisPrefix = {
  readonly prefix: string;
  /** Deletes every key under the prefix; most would expire within a minute anyway. */
  clear(): Promise<void>;
};

export function createRedisPrefix(redisUrl: string): RedisPrefix {
  const prefix = `parley_bench_${randomBytes(6).toString('hex')}`;
  return {
    prefix,
    clear: async () => {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
      try {
        await redis.connect();
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1_000);
          if (keys.length > 0) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}
