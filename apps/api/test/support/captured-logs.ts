// Test-only. A logger at its most talkative whose every line is kept, for tests that check what
// the servers write about a device or a message (and that nothing secret is among it).
import { Writable } from 'node:stream';

import { pino, type Logger } from 'pino';

export function capturedLogs(): { readonly logger: Logger; readonly lines: string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { logger, lines };
}
