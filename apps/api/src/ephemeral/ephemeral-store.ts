// Server-only. Short-lived state that must never reach the database: presence, typing and rate
// limits. Redis holds it when configured, so that every instance sees the same; else memory.
import type { ConversationId, DeviceId, UserId } from '../ids.js';
import type { Viewer } from '../viewer.js';

export type RateLimitResult = { readonly allowed: boolean; readonly retryAfterMs: number };

export interface EphemeralStore {
  /** Counts one hit on `key` in a fixed window; refuses past `limit` hits until it ends. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;

  /**
   * Marks one connection of a device present until `ttlMs` from now, for its user and for the
   * device itself. True if the user was away.
   */
  connect(viewer: Viewer, connectionId: string, ttlMs: number): Promise<boolean>;
  /** Extends a connection's presence; a connection that stops refreshing expires by itself. */
  refresh(viewer: Viewer, connectionId: string, ttlMs: number): Promise<void>;
  /** Removes a connection. True if it was the user's last live one. */
  disconnect(viewer: Viewer, connectionId: string): Promise<boolean>;
  /** The subset of `userIds` with at least one live connection. */
  online(userIds: readonly UserId[]): Promise<Set<UserId>>;
  /** The subset of `deviceIds` with at least one live connection: those need no Web Push. */
  connectedDevices(deviceIds: readonly DeviceId[]): Promise<Set<DeviceId>>;

  /** Marks a user typing in a conversation until `ttlMs` from now. */
  startTyping(conversationId: ConversationId, userId: UserId, ttlMs: number): Promise<void>;
  stopTyping(conversationId: ConversationId, userId: UserId): Promise<void>;
  /** The users whose typing has not expired. */
  typing(conversationId: ConversationId): Promise<UserId[]>;

  close(): Promise<void>;
}
