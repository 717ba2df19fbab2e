// Server-only. The embedded default's ephemeral store: plain maps with expiry times.
import type { ConversationId, UserId } from '../ids.js';
import type { EphemeralStore, RateLimitResult } from './ephemeral-store.js';

type Expiring = Map<string, number>;

function live(entries: Expiring | undefined, now: number): string[] {
  if (!entries) return [];
  for (const [key, expiresAt] of entries) {
    if (expiresAt <= now) entries.delete(key);
  }
  return [...entries.keys()];
}

export class MemoryStore implements EphemeralStore {
  readonly #windows = new Map<string, { count: number; endsAt: number }>();
  readonly #connections = new Map<UserId, Expiring>();
  readonly #typists = new Map<ConversationId, Expiring>();
  readonly #sweeper = setInterval(() => this.#sweep(), 60_000).unref();

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const now = Date.now();
    let window = this.#windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    const allowed = window.count <= limit;
    return { allowed, retryAfterMs: allowed ? 0 : window.endsAt - now };
  }

  async connect(userId: UserId, connectionId: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const entries = this.#connections.get(userId) ?? new Map<string, number>();
    const wasAway = live(entries, now).length === 0;
    entries.set(connectionId, now + ttlMs);
    this.#connections.set(userId, entries);
    return wasAway;
  }

  async refresh(userId: UserId, connectionId: string, ttlMs: number): Promise<void> {
    this.#connections.get(userId)?.set(connectionId, Date.now() + ttlMs);
  }

  async disconnect(userId: UserId, connectionId: string): Promise<boolean> {
    const entries = this.#connections.get(userId);
    if (!entries?.delete(connectionId)) return false;
    const lastGone = live(entries, Date.now()).length === 0;
    if (lastGone) this.#connections.delete(userId);
    return lastGone;
  }

  async online(userIds: readonly UserId[]): Promise<Set<UserId>> {
    const now = Date.now();
    return new Set(userIds.filter((id) => live(this.#connections.get(id), now).length > 0));
  }

  async startTyping(conversationId: ConversationId, userId: UserId, ttlMs: number) {
    const entries = this.#typists.get(conversationId) ?? new Map<string, number>();
    entries.set(userId, Date.now() + ttlMs);
    this.#typists.set(conversationId, entries);
  }

  async stopTyping(conversationId: ConversationId, userId: UserId) {
    this.#typists.get(conversationId)?.delete(userId);
  }

  async typing(conversationId: ConversationId): Promise<UserId[]> {
    return live(this.#typists.get(conversationId), Date.now()) as UserId[];
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, window] of this.#windows) {
      if (window.endsAt <= now) this.#windows.delete(key);
    }
    for (const [key, entries] of this.#typists) {
      if (live(entries, now).length === 0) this.#typists.delete(key);
    }
  }
}
