// Bench-only, the entry point of a child process. The near-physical peer: a bare `ws` server
// that passes each frame from one socket of a pair to the other, untouched. No storage, no
// GraphQL, no authentication; what is left is the cost of WebSocket framing in Node, which is
// what any Node messaging server pays before doing anything useful.
//
// Sockets connect to /?pair=<id>&role=sender|receiver. A frame whose peer is not connected is
// dropped, and the bench counts it as lost.
import { createServer } from 'node:http';

import { WebSocketServer, type WebSocket } from 'ws';

type Role = 'sender' | 'receiver';
type Pair = { sender?: WebSocket; receiver?: WebSocket };

const peerOf = { sender: 'receiver', receiver: 'sender' } as const satisfies Record<Role, Role>;
const pairs = new Map<string, Pair>();

const server = createServer((_request, response) => {
  response.writeHead(404).end();
});
const sockets = new WebSocketServer({ server, maxPayload: 1 << 20 });

sockets.on('connection', (socket, request) => {
  const query = new URL(request.url ?? '/', 'http://relay').searchParams;
  const pairId = query.get('pair');
  const role = query.get('role');
  if (!pairId || (role !== 'sender' && role !== 'receiver')) {
    socket.close(4400, 'Connect to /?pair=<id>&role=sender|receiver');
    return;
  }
  const pair = pairs.get(pairId) ?? {};
  pairs.set(pairId, pair);
  pair[role] = socket;

  socket.on('message', (data, isBinary) => {
    pair[peerOf[role]]?.send(data, { binary: isBinary });
  });
  socket.on('close', () => {
    if (pair[role] === socket) delete pair[role];
    if (!pair.sender && !pair.receiver) pairs.delete(pairId);
  });
  socket.on('error', () => socket.terminate());
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // The parent reads this one line to learn where to connect.
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
});

process.once('SIGTERM', () => {
  for (const socket of sockets.clients) socket.terminate();
  sockets.close();
  server.close(() => process.exit(0));
});
