// Server-only. The embedded default's ephemeral store: plain maps with expiry times.
import type { ConversationId, DeviceId, UserId } from '../ids.js';
import type { Viewer } from '../viewer.js';
import type { EphemeralStore, RateLimitResult } from './ephemeral-store.js';

type Expiring = Map<string, number>;

function live(entries: Expiring | undefined, now: number): string[] {
  if (!entries) return [];
  for (const [key, expiresAt] of entries) {
    if (expiresAt <= now) entries.delete(key);
  }
  return [...entries.keys()];
}

function addLive<K>(sets: Map<K, Expiring>, key: K, member: string, expiresAt: number): void {
  const entries = sets.get(key) ?? new Map<string, number>();
  entries.set(member, expiresAt);
  sets.set(key, entries);
}

/** Removes one member; true if it was there and was the last live one. */
function removeLive<K>(sets: Map<K, Expiring>, key: K, member: string): boolean {
  const entries = sets.get(key);
  if (!entries?.delete(member)) return false;
  const lastGone = live(entries, Date.now()).length === 0;
  if (lastGone) sets.delete(key);
  return lastGone;
}

export class MemoryStore implements EphemeralStore {
  readonly #windows = new Map<string, { count: number; endsAt: number }>();
  readonly #connections = new Map<UserId, Expiring>();
  readonly #deviceConnections = new Map<DeviceId, Expiring>();
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

  async connect(viewer: Viewer, connectionId: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const wasAway = live(this.#connections.get(viewer.userId), now).length === 0;
    addLive(this.#connections, viewer.userId, connectionId, now + ttlMs);
    addLive(this.#deviceConnections, viewer.deviceId, connectionId, now + ttlMs);
    return wasAway;
  }

  async refresh(viewer: Viewer, connectionId: string, ttlMs: number): Promise<void> {
    const expiresAt = Date.now() + ttlMs;
    this.#connections.get(viewer.userId)?.set(connectionId, expiresAt);
    this.#deviceConnections.get(viewer.deviceId)?.set(connectionId, expiresAt);
  }

  async disconnect(viewer: Viewer, connectionId: string): Promise<boolean> {
    removeLive(this.#deviceConnections, viewer.deviceId, connectionId);
    return removeLive(this.#connections, viewer.userId, connectionId);
  }

  async online(userIds: readonly UserId[]): Promise<Set<UserId>> {
    const now = Date.now();
    return new Set(userIds.filter((id) => live(this.#connections.get(id), now).length > 0));
  }

  async connectedDevices(deviceIds: readonly DeviceId[]): Promise<Set<DeviceId>> {
    const now = Date.now();
    return new Set(deviceIds.filter((id) => live(this.#deviceConnections.get(id), now).length > 0));
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
