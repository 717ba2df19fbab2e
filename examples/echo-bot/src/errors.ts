// The ways talking to Parley can fail, each a class of its own, made once where the failure
// arrives (fetch, the WebSocket, a response body, the state file). What to do about each one is
// decided in a single place, retry-policy.ts, never where it is thrown.

/** The request never got a usable answer: no connection, a timeout, or an HTTP 5xx. */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/**
 * The server refused the operation with a typed GraphQL error. `code` is the stable
 * `extensions.code` from the API's list (schema.graphql's errors); other extensions carry
 * details such as `retryAfterMs` or `conversationId`.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, extensions: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.extensions = extensions;
  }

  /** The conversation the error is about, when the server named one. */
  get conversationId(): string | undefined {
    const value = this.extensions.conversationId;
    return typeof value === 'string' ? value : undefined;
  }

  /** The first of a response's `errors`, checked before anything reads it. */
  static fromWire(errors: unknown): ApiError {
    const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
    if (typeof first !== 'object' || first === null) {
      return new ApiError('UNKNOWN', 'The server reported an error without a description.');
    }
    const { message, extensions } = first as { message?: unknown; extensions?: unknown };
    const details =
      typeof extensions === 'object' && extensions !== null
        ? (extensions as Record<string, unknown>)
        : {};
    const code = typeof details.code === 'string' ? details.code : 'UNKNOWN';
    return new ApiError(code, typeof message === 'string' ? message : code, details);
  }
}

/** The server answered, but not in the shape this client was written for. */
export class ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolError';
  }
}

/** The event stream's WebSocket closed; `code` is the close code (RFC 6455, section 7.4). */
export class StreamClosedError extends Error {
  readonly code: number;

  constructor(code: number, reason: string) {
    super(`The event stream closed (${code}${reason ? `: ${reason}` : ''}).`);
    this.name = 'StreamClosedError';
    this.code = code;
  }
}

/**
 * A message arrived after a gap in its conversation's sequence numbers. The server promises none
 * within a subscription, so this device resubscribes from its cursor to get what it missed.
 */
export class OutOfOrderError extends Error {
  constructor(conversationId: string, expected: number, received: number) {
    super(`Expected seq ${expected} of ${conversationId} and received ${received}.`);
    this.name = 'OutOfOrderError';
  }
}

/** The server no longer accepts this device: its token is unknown or it was signed out. */
export class SignedOutError extends Error {
  constructor(statePath: string, options?: { cause?: unknown }) {
    super(
      'The server refused this device’s token: the device was signed out, or the server lost ' +
        `its data. Delete ${statePath} to sign in again as a new device.`,
      options,
    );
    this.name = 'SignedOutError';
  }
}

/** A setting is missing or malformed; the message says which and how to fix it. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The state file exists but cannot be read back; the message names the file. */
export class StateFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateFileError';
  }
}
