// Server-only. Ephemeral state in Redis, shared by every instance. Presence and typing are
// sorted sets scored by expiry time, so an instance that dies leaves nothing that lives forever.
import { Redis } from 'ioredis';

import type { ConversationId, DeviceId, UserId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { Viewer } from '../viewer.js';
import type { EphemeralStore, RateLimitResult } from './ephemeral-store.js';

// Adds or removes one member, drops expired ones, and returns how many are left, atomically, so
// that two connections closing at once cannot both miss being "the last one".
const updateLiveSet = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local before = redis.call('ZCARD', KEYS[1])
if ARGV[2] == 'add' then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[4]), ARGV[3])
  local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', KEYS[1], math.ceil(tonumber(latest[2])))
else
  local removed = redis.call('ZREM', KEYS[1], ARGV[3])
  if removed == 0 then return {before, before, 0} end
end
return {before, redis.call('ZCARD', KEYS[1]), 1}
`;

export class RedisStore implements EphemeralStore {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(url: string, prefix: string, log: Logger) {
    this.#redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.#redis.on('error', (error: Error) => log.warn({ err: error }, 'redis connection error'));
    this.#prefix = `${prefix}:`;
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const fullKey = `${this.#prefix}rate:${key}`;
    const result = await this.#redis
      .multi()
      .incr(fullKey)
      .pexpire(fullKey, windowMs, 'NX')
      .pttl(fullKey)
      .exec();
    const count = Number(result?.[0]?.[1] ?? 0);
    const ttl = Number(result?.[2]?.[1] ?? windowMs);
    const allowed = count <= limit;
    return { allowed, retryAfterMs: allowed ? 0 : Math.max(ttl, 0) };
  }

  async connect(viewer: Viewer, connectionId: string, ttlMs: number): Promise<boolean> {
    const [[before]] = await Promise.all([
      this.#update(this.#presenceKey(viewer.userId), 'add', connectionId, ttlMs),
      this.#update(this.#deviceKey(viewer.deviceId), 'add', connectionId, ttlMs),
    ]);
    return before === 0;
  }

  async refresh(viewer: Viewer, connectionId: string, ttlMs: number): Promise<void> {
    await Promise.all([
      this.#update(this.#presenceKey(viewer.userId), 'add', connectionId, ttlMs),
      this.#update(this.#deviceKey(viewer.deviceId), 'add', connectionId, ttlMs),
    ]);
  }

  async disconnect(viewer: Viewer, connectionId: string): Promise<boolean> {
    const [[, after, removed]] = await Promise.all([
      this.#update(this.#presenceKey(viewer.userId), 'remove', connectionId),
      this.#update(this.#deviceKey(viewer.deviceId), 'remove', connectionId),
    ]);
    return removed === 1 && after === 0;
  }

  async online(userIds: readonly UserId[]): Promise<Set<UserId>> {
    return this.#live(userIds, (id) => this.#presenceKey(id));
  }

  async connectedDevices(deviceIds: readonly DeviceId[]): Promise<Set<DeviceId>> {
    return this.#live(deviceIds, (id) => this.#deviceKey(id));
  }

  async startTyping(conversationId: ConversationId, userId: UserId, ttlMs: number) {
    await this.#update(this.#typingKey(conversationId), 'add', userId, ttlMs);
  }

  async stopTyping(conversationId: ConversationId, userId: UserId) {
    await this.#update(this.#typingKey(conversationId), 'remove', userId);
  }

  async typing(conversationId: ConversationId): Promise<UserId[]> {
    const members = await this.#redis.zrangebyscore(
      this.#typingKey(conversationId),
      `(${Date.now()}`,
      '+inf',
    );
    return members as UserId[];
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => {});
  }

  #presenceKey(userId: UserId) {
    return `${this.#prefix}presence:${userId}`;
  }

  #deviceKey(deviceId: DeviceId) {
    return `${this.#prefix}device-connections:${deviceId}`;
  }

  /** The ids whose live set has a member that has not expired, in one round trip. */
  async #live<Id extends string>(ids: readonly Id[], keyOf: (id: Id) => string): Promise<Set<Id>> {
    if (ids.length === 0) return new Set();
    const now = Date.now();
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.zcount(keyOf(id), `(${now}`, '+inf');
    const counts = (await pipeline.exec()) ?? [];
    return new Set(ids.filter((_, index) => Number(counts[index]?.[1] ?? 0) > 0));
  }

  #typingKey(conversationId: ConversationId) {
    return `${this.#prefix}typing:${conversationId}`;
  }

  async #update(key: string, action: 'add' | 'remove', member: string, ttlMs = 0) {
    const now = Date.now();
    const result = (await this.#redis.eval(
      updateLiveSet,
      1,
      key,
      now,
      action,
      member,
      now + ttlMs,
    )) as [number, number, number];
    return result;
  }
}
