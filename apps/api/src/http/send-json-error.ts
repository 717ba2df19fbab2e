// Server-only. Plain HTTP routes (media uploads and downloads) answer failures in the shape a
// GraphQL response has, `{ errors: [{ message, extensions: { code } }] }`, so that a client
// reads one error format from every endpoint, with the same stable codes.
import type { ServerResponse } from 'node:http';

import type { ErrorCode, ParleyError } from '../errors.js';

/** The HTTP status that goes with an error code outside GraphQL. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'DEVICE_REVOKED':
      return 401;
    case 'FORBIDDEN':
    case 'NOT_A_MEMBER':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'MESSAGE_TOO_LARGE':
    case 'MEDIA_TOO_LARGE':
      return 413;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL_SERVER_ERROR':
      return 500;
    default:
      return 400;
  }
}

export function sendJsonError(
  res: ServerResponse,
  error: ParleyError,
  headers: Record<string, string> = {},
): void {
  // `http` is yoga's instruction to its own HTTP layer, not part of what a client reads.
  const { http: _http, ...rest } = error.extensions;
  const extensions: Record<string, unknown> = { ...rest, code: error.code };
  const retryAfterMs = extensions.retryAfterMs;
  res.writeHead(httpStatusOf(error.code), {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(typeof retryAfterMs === 'number' && {
      'retry-after': String(Math.ceil(retryAfterMs / 1000)),
    }),
    ...headers,
  });
  res.end(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}
