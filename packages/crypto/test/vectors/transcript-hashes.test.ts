// Node-only test. Checks ts-mls's transcript hashes (RFC 9420, section 8.2) against the working
// group's transcript-hashes vectors for cipher suite 1. The confirmed transcript hash binds each
// epoch to every commit before it, so members who saw different histories part ways at once. Other
// suites are left out: Parley ships suite 1 only, and several of them need optional peer
// dependencies of ts-mls that Parley does not install (fixtures/SOURCE.md).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  decodeAuthenticatedContent,
  encodeAuthenticatedContent,
  type AuthenticatedContent,
} from 'ts-mls/authenticatedContent.js';
import { createConfirmationTag, verifyConfirmationTag } from 'ts-mls/framedContent.js';
import { createConfirmedHash, createInterimHash } from 'ts-mls/transcriptHash.js';

import { fromHex, toHex } from '../../src/bytes.ts';
import {
  assertBytes,
  loadVectors,
  parleyCipherSuite,
  parleyCipherSuiteId,
} from './load-vectors.ts';

interface TranscriptHashesVector {
  readonly cipher_suite: number;
  readonly confirmation_key: string;
  readonly authenticated_content: string;
  readonly interim_transcript_hash_before: string;
  readonly confirmed_transcript_hash_after: string;
  readonly interim_transcript_hash_after: string;
}

function decodeCommitContent(hex: string): AuthenticatedContent {
  const decoded = decodeAuthenticatedContent(fromHex(hex), 0);
  assert.ok(decoded !== undefined, 'the AuthenticatedContent does not decode');
  assert.equal(decoded[1], hex.length / 2, 'the AuthenticatedContent has trailing bytes');
  assert.equal(decoded[0].content.contentType, 'commit', 'transcript hashes cover commits only');
  return decoded[0];
}

describe('transcript hash vectors, cipher suite 1 (RFC 9420, section 8.2)', () => {
  for (const [index, vector] of loadVectors<TranscriptHashesVector>(
    'transcript-hashes',
  ).entries()) {
    assert.equal(vector.cipher_suite, parleyCipherSuiteId);

    describe(`commit ${index}`, () => {
      // The hashes are taken over the encoding, so decoding must lose nothing.
      test('encodes back to the vector AuthenticatedContent', () => {
        const content = decodeCommitContent(vector.authenticated_content);
        assertBytes(
          encodeAuthenticatedContent(content),
          vector.authenticated_content,
          'AuthenticatedContent',
        );
      });

      test('moves the transcript to the vector confirmed and interim hashes', async () => {
        const cs = await parleyCipherSuite();
        const { wireformat, content, auth } = decodeCommitContent(vector.authenticated_content);
        assert.equal(content.contentType, 'commit');
        assert.equal(auth.contentType, 'commit');

        const confirmed = await createConfirmedHash(
          fromHex(vector.interim_transcript_hash_before),
          { wireformat, content, signature: auth.signature },
          cs.hash,
        );
        assertBytes(confirmed, vector.confirmed_transcript_hash_after, 'confirmed hash');

        const interim = await createInterimHash(confirmed, auth.confirmationTag, cs.hash);
        assertBytes(interim, vector.interim_transcript_hash_after, 'interim hash');
      });

      // The tag is a MAC over the new confirmed hash (section 6.1); recomputing it checks the
      // key and the hash together.
      test('carries the confirmation tag of the new confirmed hash', async () => {
        const cs = await parleyCipherSuite();
        const { auth } = decodeCommitContent(vector.authenticated_content);
        assert.equal(auth.contentType, 'commit');
        const key = fromHex(vector.confirmation_key);
        const confirmed = fromHex(vector.confirmed_transcript_hash_after);

        const tag = await createConfirmationTag(key, confirmed, cs.hash);
        assertBytes(tag, toHex(auth.confirmationTag), 'confirmation tag');
        assert.equal(
          await verifyConfirmationTag(key, auth.confirmationTag, confirmed, cs.hash),
          true,
        );
      });
    });
  }
});
