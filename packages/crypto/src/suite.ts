// Shared (browser and Node). The one MLS cipher suite Parley speaks, and its implementation.
import {
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type CiphersuiteImpl,
  type CiphersuiteName,
} from 'ts-mls';

/**
 * MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (RFC 9420, section 17.1): the suite every MLS
 * implementation must support. It runs on WebCrypto and the noble libraries alone, in browsers
 * and in Node, with no optional native or post-quantum dependency.
 */
export const cipherSuiteName: CiphersuiteName = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';

let suite: Promise<CiphersuiteImpl> | undefined;

/** The suite's primitives, made once per process or page and shared by every group. */
export function cipherSuite(): Promise<CiphersuiteImpl> {
  suite ??= getCiphersuiteImpl(getCiphersuiteFromName(cipherSuiteName));
  return suite;
}
