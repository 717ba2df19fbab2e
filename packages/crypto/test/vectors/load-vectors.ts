// Node-only test helper. Reads the MLS working group's test vectors from ./data (their origin and
// what was filtered out is in fixtures/SOURCE.md) and gives every vector test the same cipher suite
// and the same way of comparing bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  decodeMlsMessage,
  encodeMlsMessage,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  type CiphersuiteImpl,
  type MLSMessage,
} from 'ts-mls';

import { fromHex, toHex } from '../../src/bytes.ts';

/** The files copied into ./data; one test file drives each. */
export type VectorFile =
  | 'tree-math'
  | 'crypto-basics'
  | 'key-schedule'
  | 'secret-tree'
  | 'message-protection'
  | 'welcome'
  | 'transcript-hashes'
  | 'deserialization'
  | 'passive-client-welcome'
  | 'passive-client-handling-commit';

/**
 * Returns the entries of one vector file. The caller names their shape; the format of each file
 * is described in test-vectors.md of mlswg/mls-implementations.
 *
 * Throws on an empty file, so that a botched refresh of ./data cannot turn into tests that pass
 * because they checked nothing.
 */
export function loadVectors<Vector>(file: VectorFile): readonly Vector[] {
  const entries: Vector[] = JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', `${file}.json`), 'utf8'),
  );
  if (entries.length === 0) throw new Error(`fixtures/${file}.json holds no vectors; refresh it.`);
  return entries;
}

/** The only cipher suite Parley ships (RFC 9420, section 17.1), the one the data was cut to. */
export const parleyCipherSuiteId = 1;

/**
 * ts-mls's implementation of cipher suite 1: X25519 HPKE, AES-128-GCM, SHA-256, Ed25519. It
 * needs none of ts-mls's optional peer dependencies.
 */
export function parleyCipherSuite(): Promise<CiphersuiteImpl> {
  return getCiphersuiteImpl(getCiphersuiteFromName('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'));
}

/**
 * Asserts that the computed bytes equal the vector's hex string exactly. Comparing as lowercase
 * hex (the vectors' own spelling) makes a failure print both values in a readable form.
 */
export function assertBytes(actual: Uint8Array, expectedHex: string, what: string): void {
  assert.equal(toHex(actual), expectedHex.toLowerCase(), `${what} differs from the vector`);
}

/**
 * Decodes a vector's MLSMessage (RFC 9420, section 6). It must use every byte and encode back to
 * exactly those bytes: a decoder that skipped or normalised a field would otherwise go unseen,
 * since signatures and transcript hashes are computed over the re-encoded structures.
 */
export function decodeWholeMessage(hex: string): MLSMessage {
  const decoded = decodeMlsMessage(fromHex(hex), 0);
  assert.ok(decoded !== undefined, 'the MLSMessage does not decode');
  assert.equal(decoded[1], hex.length / 2, 'the MLSMessage has trailing bytes');
  assertBytes(encodeMlsMessage(decoded[0]), hex, 'the re-encoded MLSMessage');
  return decoded[0];
}
