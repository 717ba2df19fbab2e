// Audit-only. The smallest DevTools protocol client the installability check needs: commands
// with their replies matched by id, and events, over the browser's WebSocket, with flat
// sessions (https://chromedevtools.github.io/devtools-protocol/#endpoints).
import WebSocket from 'ws';

type Reply = { id: number; result?: unknown; error?: { message: string } };
type Event = { method: string; params?: unknown; sessionId?: string };

export class CdpConnection {
  readonly #socket: WebSocket;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly #listeners = new Set<(event: Event) => void>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on('message', (data) => this.#receive(String(data)));
    socket.on('close', () => {
      for (const pending of this.#pending.values()) pending.reject(new Error('DevTools closed'));
      this.#pending.clear();
    });
  }

  /** Connects to the browser behind a DevTools port on 127.0.0.1. */
  static async connect(port: number): Promise<CdpConnection> {
    const response = await fetch(`http://127.0.0.1:${port}/json/version`);
    const { webSocketDebuggerUrl } = (await response.json()) as { webSocketDebuggerUrl: string };
    const socket = new WebSocket(webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new CdpConnection(socket);
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (value) => resolve(value as T), reject });
      this.#socket.send(JSON.stringify({ id, method, params, ...(sessionId && { sessionId }) }));
    });
  }

  /** Resolves with the first `method` event of the session that arrives from now on. */
  once(method: string, sessionId: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (event: Event) => {
        if (event.method !== method || event.sessionId !== sessionId) return;
        this.#listeners.delete(listener);
        clearTimeout(timer);
        resolve(event.params);
      };
      this.#listeners.add(listener);
    });
  }

  close(): void {
    this.#socket.close();
  }

  #receive(text: string): void {
    const message = JSON.parse(text) as Partial<Reply & Event>;
    if (typeof message.id === 'number') {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
      return;
    }
    if (typeof message.method === 'string') {
      for (const listener of [...this.#listeners]) listener(message as Event);
    }
  }
}
