// Server-only. Short-lived state that must never reach the database: presence, typing and rate
// limits. Redis holds it when configured, so that every instance sees the same; else memory.
import type { ConversationId, UserId } from '../ids.js';

export type RateLimitResult = { readonly allowed: boolean; readonly retryAfterMs: number };

export interface EphemeralStore {
  /** Counts one hit on `key` in a fixed window; refuses past `limit` hits until it ends. */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;

  /** Marks one connection of a user present until `ttlMs` from now. True if the user was away. */
  connect(userId: UserId, connectionId: string, ttlMs: number): Promise<boolean>;
  /** Extends a connection's presence; a connection that stops refreshing expires by itself. */
  refresh(userId: UserId, connectionId: string, ttlMs: number): Promise<void>;
  /** Removes a connection. True if it was the user's last live one. */
  disconnect(userId: UserId, connectionId: string): Promise<boolean>;
  /** The subset of `userIds` with at least one live connection. */
  online(userIds: readonly UserId[]): Promise<Set<UserId>>;

  /** Marks a user typing in a conversation until `ttlMs` from now. */
  startTyping(conversationId: ConversationId, userId: UserId, ttlMs: number): Promise<void>;
  stopTyping(conversationId: ConversationId, userId: UserId): Promise<void>;
  /** The users whose typing has not expired. */
  typing(conversationId: ConversationId): Promise<UserId[]>;

  close(): Promise<void>;
}
