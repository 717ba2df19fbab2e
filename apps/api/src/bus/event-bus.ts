// Server-only. Fan-out between API instances. Delivery is at most once (Redis pub/sub drops what
// a disconnected subscriber misses), so nothing correct rests on it: the database is the source
// of truth and device cursors close any gap.
import type { BusEvent, Channel } from './events.js';

export type BusListener = (event: BusEvent) => void;

export interface EventBus {
  publish(channel: Channel, event: BusEvent): Promise<void>;
  /** Resolves once events published from now on will reach `listener`. */
  subscribe(channel: Channel, listener: BusListener): Promise<() => void>;
  close(): Promise<void>;
}

/** Listeners per channel, shared by both buses: each event is parsed once per instance. */
export class ListenerRegistry {
  readonly #listeners = new Map<Channel, Set<BusListener>>();

  /** Adds a listener and says whether the channel had none before. */
  add(channel: Channel, listener: BusListener): boolean {
    const existing = this.#listeners.get(channel);
    if (existing) {
      existing.add(listener);
      return false;
    }
    this.#listeners.set(channel, new Set([listener]));
    return true;
  }

  /** Removes a listener and says whether the channel has none left. */
  remove(channel: Channel, listener: BusListener): boolean {
    const existing = this.#listeners.get(channel);
    if (!existing) return false;
    existing.delete(listener);
    if (existing.size > 0) return false;
    this.#listeners.delete(channel);
    return true;
  }

  has(channel: Channel): boolean {
    return this.#listeners.has(channel);
  }

  dispatch(channel: Channel, event: BusEvent): void {
    const listeners = this.#listeners.get(channel);
    if (!listeners) return;
    for (const listener of listeners) listener(event);
  }
}
