// Server-only. One root pino logger; each subsystem takes a child with its own name. Tokens,
// codes and message bytes are never passed to a logger; the redaction below is a second fence.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'parley-api' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.token',
        '*.verificationCode',
        '*.ciphertext',
        '*.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
