// Test-only. Everything a Redis server is told, as its MONITOR command prints it, read from a
// plain socket. ioredis's own monitor mode can lose track of its replies when other clients are
// busy at the moment it starts ("Command queue state error"), which hung a test now and then;
// this reads MONITOR's output as the text it is and keeps all of it.
import { connect, type Socket } from 'node:net';

export class RedisMonitor {
  readonly #socket: Socket;
  #text = '';

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#text += chunk;
    });
  }

  static async start(url: string): Promise<RedisMonitor> {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const monitor = new RedisMonitor(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        socket.write('MONITOR\r\n');
        resolve();
      });
    });
    // MONITOR answers +OK, then one line per command any client sends from then on.
    for (let waited = 0; !monitor.#text.startsWith('+OK'); waited += 10) {
      if (waited > 5_000) throw new Error(`Redis did not start MONITOR: ${monitor.#text}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return monitor;
  }

  /** One line per command seen so far (the +OK of MONITOR itself left out). */
  commands(): string[] {
    return this.#text
      .split('\r\n')
      .slice(1)
      .filter((line) => line !== '');
  }

  close(): void {
    this.#socket.destroy();
  }
}
