// The bot's settings, read once from the environment and checked before anything starts, so that
// a typo stops the bot with a message saying how to fix it rather than failing later.
import { ConfigError } from './errors.ts';
import { logLevels, type LogLevel } from './logger.ts';

export type EchoBotConfig = {
  /** The GraphQL endpoint over HTTP; the event stream uses the same URL over WebSocket. */
  readonly url: string;
  /**
   * The bot's own phone number, in E.164 form. Needed only to sign in: once the state file holds
   * a token, the bot runs without it.
   */
  readonly phoneNumber: string | undefined;
  /** The one-time code sent to that number; when unset, the bot asks for it on stdin. */
  readonly code: string | undefined;
  /** Where the token, keys, groups and cursors are kept between runs. */
  readonly statePath: string;
  readonly logLevel: LogLevel;
};

const defaults = {
  url: 'http://127.0.0.1:4000/graphql',
  statePath: './echo-bot.state',
  logLevel: 'info',
} as const;

const e164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * Reads PARLEY_URL (default http://127.0.0.1:4000/graphql), PARLEY_PHONE, PARLEY_CODE,
 * PARLEY_STATE (default ./echo-bot.state) and PARLEY_LOG_LEVEL (default info).
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): EchoBotConfig {
  const url = env.PARLEY_URL || defaults.url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`PARLEY_URL must be a URL such as ${defaults.url}; it is "${url}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`PARLEY_URL must start with http:// or https://; it is "${url}".`);
  }

  const phoneNumber = env.PARLEY_PHONE || undefined;
  if (phoneNumber !== undefined && !e164.test(phoneNumber)) {
    throw new ConfigError(
      `PARLEY_PHONE must be in international form, such as +14155550123; it is "${phoneNumber}".`,
    );
  }

  const code = env.PARLEY_CODE?.trim() || undefined;
  if (code !== undefined && !/^[0-9]{6}$/.test(code)) {
    throw new ConfigError('PARLEY_CODE must be the six digits that were sent.');
  }

  const logLevel = env.PARLEY_LOG_LEVEL || defaults.logLevel;
  if (!logLevels.includes(logLevel as LogLevel)) {
    throw new ConfigError(`PARLEY_LOG_LEVEL must be one of ${logLevels.join(', ')}.`);
  }

  return {
    url,
    phoneNumber,
    code,
    statePath: env.PARLEY_STATE || defaults.statePath,
    logLevel: logLevel as LogLevel,
  };
}

/** The event stream's address: the GraphQL endpoint with ws:// or wss://. */
export function webSocketUrl(url: string): string {
  return url.replace(/^http/, 'ws');
}
