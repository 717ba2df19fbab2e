// Bench-only. Reads another Node process's live JavaScript heap through its inspector (Chrome
// DevTools Protocol): a full garbage collection first (HeapProfiler.collectGarbage), then the
// heap's size (Runtime.getHeapUsage). Memory readings taken right after count live objects
// rather than whatever garbage the last collection happened to leave behind.
import WebSocket from 'ws';

import { withDeadline } from './with-deadline.js';

type Reply = { id?: number; result?: { usedSize?: number }; error?: { message: string } };

/** Collects garbage in the inspected process; returns its used heap afterwards, in KiB. */
export async function collectGarbage(inspectorUrl: string): Promise<number> {
  const socket = new WebSocket(inspectorUrl);
  const replies = new Map<number, (reply: Reply) => void>();
  const call = (id: number, method: string) =>
    new Promise<Reply>((resolve) => {
      replies.set(id, resolve);
      socket.send(JSON.stringify({ id, method }));
    });
  socket.on('message', (data) => {
    const reply = JSON.parse(String(data)) as Reply;
    if (reply.id !== undefined) replies.get(reply.id)?.(reply);
  });

  try {
    return await withDeadline(
      'a garbage collection through the inspector',
      15_000,
      (async () => {
        await new Promise<void>((resolve, reject) => {
          socket.once('open', resolve);
          socket.once('error', reject);
        });
        for (const reply of [
          await call(1, 'HeapProfiler.collectGarbage'),
          await call(2, 'Runtime.getHeapUsage'),
        ]) {
          if (reply.error) throw new Error(`the inspector refused: ${reply.error.message}`);
          if (reply.result?.usedSize !== undefined) return reply.result.usedSize / 1024;
        }
        throw new Error('the inspector reported no heap size');
      })(),
    );
  } finally {
    socket.terminate();
  }
}
