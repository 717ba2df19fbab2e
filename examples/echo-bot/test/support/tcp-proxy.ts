// Test-only. A TCP relay between the bot and the server that a test can cut, to play a network
// outage: open connections drop at once, and new ones are refused until it is restored.
import net from 'node:net';

export type TcpProxy = {
  readonly port: number;
  /** Connections refused while cut: each is one reconnection attempt of the client. */
  readonly refused: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
};

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let cut = false;
  let refused = 0;

  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    // A reset is the point of the exercise; the other side is closed with it below.
    socket.on('error', () => {});
  };

  const server = net.createServer((client) => {
    track(client);
    if (cut) {
      refused += 1;
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    get refused() {
      return refused;
    },
    cut() {
      cut = true;
      for (const socket of open) socket.destroy();
    },
    restore() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
