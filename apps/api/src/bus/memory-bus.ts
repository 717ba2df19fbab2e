// Server-only. The embedded default's bus: one process, so publishing is a function call.
import type { BusListener, EventBus } from './event-bus.js';
import { ListenerRegistry } from './event-bus.js';
import type { BusEvent, Channel } from './events.js';

export class MemoryBus implements EventBus {
  readonly #registry = new ListenerRegistry();

  async publish(channel: Channel, event: BusEvent): Promise<void> {
    // Delivered on a later tick, as a network bus would, so no publisher depends on re-entrancy.
    queueMicrotask(() => this.#registry.dispatch(channel, event));
  }

  async subscribe(channel: Channel, listener: BusListener): Promise<() => void> {
    this.#registry.add(channel, listener);
    return () => {
      this.#registry.remove(channel, listener);
    };
  }

  async close(): Promise<void> {}
}
