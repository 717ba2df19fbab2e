// Browser-only (page). What a lost connection means: the server refusing this device for good
// (signed out elsewhere), or something worth trying again, with a line to log either way.
import { CombinedError } from '@urql/core';

import { ApiError } from './graphql-client.ts';

/** graphql-ws closes with 4403 when the server refuses the token, or revokes it live. */
const forbiddenCloseCode = 4403;

export function isSignedOut(error: unknown): boolean {
  if (error instanceof ApiError) {
    return error.code === 'DEVICE_REVOKED' || error.code === 'UNAUTHENTICATED';
  }
  const cause = error instanceof CombinedError ? error.networkError : error;
  return (
    typeof cause === 'object' &&
    cause !== null &&
    'code' in cause &&
    cause.code === forbiddenCloseCode
  );
}

/** A close code and reason, when a WebSocket closing is the cause. */
export function describeFailure(error: unknown): string {
  const cause =
    error instanceof CombinedError ? (error.networkError ?? error) : (error as object | null);
  if (cause && typeof cause === 'object' && 'code' in cause && 'reason' in cause) {
    return `socket closed with ${String(cause.code)} ${String(cause.reason)}`;
  }
  return String(cause);
}
