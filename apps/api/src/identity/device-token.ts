// Server-only. Device tokens: 32 random bytes shown once at sign-in and stored only as their
// SHA-256, so that a database dump cannot be replayed as anybody's device.
import { createHash, randomBytes } from 'node:crypto';

const tokenPrefix = 'pdt_';

export function newDeviceToken(): string {
  return tokenPrefix + randomBytes(32).toString('base64url');
}

export function hashDeviceToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(token).digest());
}

/** Takes the token out of an `Authorization` value ("Bearer pdt_…") or a bare token. */
export function readBearerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  const token = trimmed.toLowerCase().startsWith('bearer ') ? trimmed.slice(7).trim() : trimmed;
  return token.startsWith(tokenPrefix) && token.length < 100 ? token : undefined;
}
