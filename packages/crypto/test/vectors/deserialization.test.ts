// Node-only test. Checks ts-mls's variable-size length headers (RFC 9420, section 2.1.2) against
// the working group's deserialization vectors. Every vector<V> in every MLS message starts with
// one, so a misread header shifts everything that follows it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { determineLength, lengthEncoder } from 'ts-mls/codec/variableLength.js';

import { fromHex } from '../../src/bytes.ts';
import { assertBytes, loadVectors } from './load-vectors.ts';

interface DeserializationVector {
  readonly vlbytes_header: string;
  readonly length: number;
}

describe('variable-size length header vectors (RFC 9420, section 2.1.2)', () => {
  for (const vector of loadVectors<DeserializationVector>('deserialization')) {
    const header = fromHex(vector.vlbytes_header);

    test(`the header ${vector.vlbytes_header} reads as a length of ${vector.length}`, () => {
      const read = determineLength(header);
      assert.equal(read.length, vector.length);
      assert.equal(read.lengthFieldSize, header.length, 'the header was not read to its end');
    });

    // The vectors hold only minimal encodings, which section 2.1.2 requires of senders, so
    // writing the length must give back exactly the same header.
    test(`a length of ${vector.length} is written as the header ${vector.vlbytes_header}`, () => {
      const [size, write] = lengthEncoder(vector.length);
      const buffer = new ArrayBuffer(size);
      write(0, buffer);
      assertBytes(new Uint8Array(buffer), vector.vlbytes_header, 'the written header');
    });
  }
});
