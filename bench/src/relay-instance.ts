// Bench-only. Starts relay-server.ts in a child process and learns its port from its first line.
import { fileURLToPath } from 'node:url';

import { startChildService, type ChildService } from './child-service.js';
import { withDeadline } from './with-deadline.js';

export type RelayInstance = ChildService & { readonly wsUrl: string };

export async function startRelayInstance(): Promise<RelayInstance> {
  let announce!: (port: number) => void;
  const listening = new Promise<number>((resolve) => {
    announce = resolve;
  });
  const child = startChildService({
    name: 'relay',
    args: [fileURLToPath(new URL('./relay-server.ts', import.meta.url))],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: process.env,
    onLine: (line) => {
      const port = readAnnouncedPort(line);
      if (port === undefined) return false;
      announce(port);
      return true;
    },
  });
  try {
    const port = await withDeadline('the relay start', 20_000, listening);
    return Object.assign(child, { wsUrl: `ws://127.0.0.1:${port}/` });
  } catch (error) {
    await child.stop();
    throw error;
  }
}

function readAnnouncedPort(line: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    const port = (parsed as { listening?: unknown } | null)?.listening;
    return typeof port === 'number' && port > 0 ? port : undefined;
  } catch {
    return undefined;
  }
}
