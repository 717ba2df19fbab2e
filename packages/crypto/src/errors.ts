// Shared (browser and Node). Every failure this package reports is a ParleyCryptoError with a
// stable code, so that callers decide what to show or retry without parsing messages. Errors
// thrown by the MLS library are turned into these once, where they arrive (see group.ts).

export const cryptoErrorCodes = [
  /** Bytes that do not decode as what they claim to be. */
  'MALFORMED',
  /** Decoded, but authentication failed: the bytes were changed or were not made for us. */
  'TAMPERED',
  /** A message whose keys were already used: it was processed before. */
  'REPLAYED',
  /** A message or commit for an epoch this member is not in (too old, or not reached yet). */
  'WRONG_EPOCH',
  /** A credential the device directory does not know, or whose key it does not confirm. */
  'UNKNOWN_CREDENTIAL',
  /**
   * The device directory could not be asked (a network failure, say): nothing is known about
   * the message, and nothing changed; retry it later.
   */
  'DIRECTORY_UNAVAILABLE',
  /** A device key that differs from the one pinned for a verified contact. */
  'IDENTITY_MISMATCH',
  /** The operation needs a member of the group, and this device is not (or no longer) one. */
  'NOT_A_MEMBER',
  /** A key package outside its lifetime (RFC 9420, section 10): ask for a newer one. */
  'EXPIRED',
  /** A Welcome that is not addressed to any key package this device holds. */
  'NO_MATCHING_KEY_PACKAGE',
  /** State or content written by a newer version of this package. */
  'UNSUPPORTED_VERSION',
  /** A media file whose bytes do not match the digest its sender committed to. */
  'DIGEST_MISMATCH',
  /** A call that cannot be made in this state (removing oneself, adding a device twice...). */
  'INVALID_OPERATION',
] as const;

export type CryptoErrorCode = (typeof cryptoErrorCodes)[number];

export class ParleyCryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ParleyCryptoError';
    this.code = code;
  }
}

export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is ParleyCryptoError {
  return error instanceof ParleyCryptoError && (code === undefined || error.code === code);
}
