// Server-only. Fan-out across instances through Redis pub/sub: one publishing connection and one
// subscribing connection per instance, whatever the number of local subscribers. A channel is
// subscribed in Redis while at least one local listener wants it.
import { Redis } from 'ioredis';

import type { Logger } from '../logger.js';
import type { BusListener, EventBus } from './event-bus.js';
import { ListenerRegistry } from './event-bus.js';
import { parseBusEvent, type BusEvent, type Channel } from './events.js';

export class RedisBus implements EventBus {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #registry = new ListenerRegistry();
  readonly #prefix: string;
  readonly #log: Logger;

  constructor(url: string, prefix: string, log: Logger) {
    this.#prefix = `${prefix}:bus:`;
    this.#log = log;
    this.#publisher = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.#subscriber = new Redis(url, { lazyConnect: false });
    for (const connection of [this.#publisher, this.#subscriber]) {
      connection.on('error', (error: Error) => log.warn({ err: error }, 'redis connection error'));
    }
    this.#subscriber.on('messageBuffer', (channelBytes: Buffer, payload: Buffer) => {
      this.#receive(channelBytes.toString(), payload.toString());
    });
  }

  async publish(channel: Channel, event: BusEvent): Promise<void> {
    await this.#publisher.publish(this.#prefix + channel, JSON.stringify(event));
  }

  async subscribe(channel: Channel, listener: BusListener): Promise<() => void> {
    if (this.#registry.add(channel, listener)) {
      await this.#subscriber.subscribe(this.#prefix + channel);
    }
    return () => {
      if (this.#registry.remove(channel, listener)) {
        this.#subscriber.unsubscribe(this.#prefix + channel).catch((error: unknown) => {
          this.#log.warn({ err: error, channel }, 'redis unsubscribe failed');
        });
      }
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#publisher.quit(), this.#subscriber.quit()]);
  }

  #receive(fullChannel: string, payload: string): void {
    if (!fullChannel.startsWith(this.#prefix)) return;
    const channel = fullChannel.slice(this.#prefix.length) as Channel;
    const event = parseBusEvent(payload);
    if (!event) {
      this.#log.warn({ channel, bytes: payload.length }, 'dropped a malformed bus event');
      return;
    }
    this.#registry.dispatch(channel, event);
  }
}
