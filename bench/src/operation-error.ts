// Bench-only. A GraphQL operation that answered with errors, or a transport that failed under
// it, reduced to one stable code, so that the report can count failures by kind.

export type GraphQLErrorShape = {
  readonly message: string;
  readonly extensions?: { readonly code?: unknown };
};

export class OperationError extends Error {
  override readonly name = 'OperationError';
  /** The server's `extensions.code` of the first error, or a transport-level code of ours. */
  readonly code: string;

  /** `fallbackCode` applies when the server's errors carry no code of their own. */
  constructor(errors: readonly GraphQLErrorShape[], fallbackCode = 'UNKNOWN') {
    super(errors.map((error) => error.message).join('; ') || 'operation failed');
    const first = errors[0]?.extensions?.code;
    this.code = typeof first === 'string' ? first : fallbackCode;
  }
}

/** The code under which the report counts `error`. */
export function errorCode(error: unknown): string {
  if (error instanceof OperationError) return error.code;
  if (isCloseEvent(error)) return `SOCKET_CLOSED_${error.code}`;
  return error instanceof Error ? error.name : 'UNKNOWN';
}

/** graphql-ws reports a socket that closed under an operation as the close event itself. */
function isCloseEvent(value: unknown): value is { code: number } {
  return (
    typeof value === 'object' && value !== null && typeof Reflect.get(value, 'code') === 'number'
  );
}

/** What graphql-ws hands a sink's `error`: errors, an Error, or a close event. */
export function toOperationError(error: unknown): OperationError | Error {
  if (error instanceof Error) return error;
  if (Array.isArray(error)) return new OperationError(error as GraphQLErrorShape[]);
  if (isCloseEvent(error)) {
    return new OperationError(
      [{ message: `socket closed with ${error.code}` }],
      `SOCKET_CLOSED_${error.code}`,
    );
  }
  return new Error(String(error));
}
