// A small line logger: one child per subsystem, with the conversation and seq of the message on
// every line about it. Callers pass only ids and counts; message text, keys and the token are
// never given to it, so no level of logging can leak them.

export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export type LogLevel = (typeof logLevels)[number];

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line, such as the subsystem's name. */
  child(fields: LogFields): Logger;
}

/** Writes `time LEVEL message key=value…` lines, by default to stderr. */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  bound: LogFields = {},
): Logger {
  const threshold = logLevels.indexOf(level);
  const log = (at: Exclude<LogLevel, 'silent'>, message: string, fields: LogFields = {}) => {
    if (logLevels.indexOf(at) < threshold) return;
    const pairs = Object.entries({ ...bound, ...fields })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value}`);
    const time = new Date().toISOString().slice(11, 23);
    write([time, at.toUpperCase().padEnd(5), message, ...pairs].join(' '));
  };
  return {
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
    child: (fields) => createLogger(level, write, { ...bound, ...fields }),
  };
}

/** What to log about a failure: its kind, its code if it has one, and its message. */
export function describeError(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    error: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    reason: JSON.stringify(error.message),
  };
}
