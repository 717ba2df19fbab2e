// Shared (browser and Node). Turns the MLS library's failures into ParleyCryptoError, once, where
// they arrive, so that callers see one set of codes whatever library sits behind this package.
import { CodecError, CryptoVerificationError, MlsError, ValidationError } from 'ts-mls/mlsError.js';

import { ParleyCryptoError } from './errors.ts';

/**
 * The library's failures as typed errors. Anything else (a bug, an exhausted stack) is not the
 * message's fault and is passed on as it is, rather than being reported as tampering.
 */
export function toCryptoError(error: unknown, doing: string): Error {
  if (error instanceof ParleyCryptoError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof CodecError) {
    return new ParleyCryptoError('MALFORMED', `${doing}: ${detail}`, { cause: error });
  }
  if (error instanceof CryptoVerificationError) {
    return new ParleyCryptoError('TAMPERED', `${doing}: ${detail}`, { cause: error });
  }
  if (error instanceof ValidationError) {
    // The secret tree deletes each message key after use (RFC 9420, section 9.2): a second
    // decryption of the same message asks for a generation that is gone.
    if (/gen in the past/i.test(detail)) {
      return new ParleyCryptoError('REPLAYED', `${doing}: this message was already received.`, {
        cause: error,
      });
    }
    if (/epoch/i.test(detail)) {
      return new ParleyCryptoError('WRONG_EPOCH', `${doing}: ${detail}`, { cause: error });
    }
    return new ParleyCryptoError('TAMPERED', `${doing}: ${detail}`, { cause: error });
  }
  if (error instanceof MlsError) {
    return new ParleyCryptoError('TAMPERED', `${doing}: ${detail}`, { cause: error });
  }
  // WebCrypto reports a failed AEAD tag check as an OperationError: the bytes were altered, or
  // were encrypted under a key this member does not have.
  if (error instanceof Error && error.name === 'OperationError') {
    return new ParleyCryptoError('TAMPERED', `${doing}: decryption failed.`, { cause: error });
  }
  if (error instanceof RangeError || error instanceof TypeError) {
    return new ParleyCryptoError('MALFORMED', `${doing}: ${detail}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(`${doing}: ${detail}`);
}
