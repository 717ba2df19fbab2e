// Shared by every layer of the server. Every error that a client can see has a stable code from
// this one list; anything else is masked by graphql-yoga and logged whole with its cause.
import { GraphQLError } from 'graphql';

export const errorCodes = [
  'BAD_USER_INPUT',
  'INVALID_PHONE_NUMBER',
  'INVALID_ID',
  'INVALID_CURSOR',
  'INVALID_CODE',
  'CODE_EXPIRED',
  'TOO_MANY_ATTEMPTS',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'DEVICE_REVOKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NOT_A_MEMBER',
  'MESSAGE_TOO_LARGE',
  'MEDIA_TOO_LARGE',
  'CLIENT_MESSAGE_ID_CONFLICT',
  'STALE_EPOCH',
  'INVALID_COMMIT',
  'INVALID_KEY_PACKAGE',
  'DEVICE_KEY_REQUIRED',
  'DEVICE_KEY_ALREADY_SET',
  'INVALID_INTRODUCTION',
  'INVALID_PUSH_SUBSCRIPTION',
  'SUBSCRIBER_TOO_SLOW',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'INTERNAL_SERVER_ERROR',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** A failure the client caused or may act on, reported with its code in `extensions.code`. */
export class ParleyError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'ParleyError';
    this.code = code;
  }
}

export function badInput(message: string, field?: string): ParleyError {
  return new ParleyError('BAD_USER_INPUT', message, field === undefined ? {} : { field });
}

export function notFound(what: string): ParleyError {
  return new ParleyError('NOT_FOUND', `${what} was not found or is not visible to this device.`);
}
