// Node-only test. Checks the labelled primitives that all of MLS is built from (RFC 9420, sections
// 5.1 to 5.2, 8 and 9) against the working group's crypto-basics vectors for cipher suite 1. Other
// suites are left out: Parley ships suite 1 only, and several of them need optional peer
// dependencies of ts-mls that Parley does not install (fixtures/SOURCE.md).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { refhash } from 'ts-mls/crypto/hash.js';
import { decryptWithLabel, encryptWithLabel } from 'ts-mls/crypto/hpke.js';
import { deriveSecret, deriveTreeSecret, expandWithLabel } from 'ts-mls/crypto/kdf.js';
import { signWithLabel, verifyWithLabel } from 'ts-mls/crypto/signature.js';

import { fromHex } from '../../src/bytes.ts';
import {
  assertBytes,
  loadVectors,
  parleyCipherSuite,
  parleyCipherSuiteId,
} from './load-vectors.ts';

interface CryptoBasicsVector {
  readonly cipher_suite: number;
  readonly ref_hash: { readonly label: string; readonly value: string; readonly out: string };
  readonly expand_with_label: {
    readonly secret: string;
    readonly label: string;
    readonly context: string;
    readonly length: number;
    readonly out: string;
  };
  readonly derive_secret: { readonly secret: string; readonly label: string; readonly out: string };
  readonly derive_tree_secret: {
    readonly secret: string;
    readonly label: string;
    readonly generation: number;
    readonly length: number;
    readonly out: string;
  };
  readonly sign_with_label: {
    readonly priv: string;
    readonly pub: string;
    readonly content: string;
    readonly label: string;
    readonly signature: string;
  };
  readonly encrypt_with_label: {
    readonly priv: string;
    readonly pub: string;
    readonly label: string;
    readonly context: string;
    readonly plaintext: string;
    readonly kem_output: string;
    readonly ciphertext: string;
  };
}

/** Returns a copy with the lowest bit of the first byte flipped. */
function altered(bytes: Uint8Array): Uint8Array {
  const copy = bytes.slice();
  copy[0]! ^= 1;
  return copy;
}

describe('crypto basics vectors, cipher suite 1', () => {
  for (const vector of loadVectors<CryptoBasicsVector>('crypto-basics')) {
    assert.equal(vector.cipher_suite, parleyCipherSuiteId);

    describe('hash-based identifiers (RFC 9420, section 5.2)', () => {
      test('RefHash gives the vector digest', async () => {
        const cs = await parleyCipherSuite();
        const { label, value, out } = vector.ref_hash;
        assertBytes(await refhash(label, fromHex(value), cs.hash), out, 'RefHash');
      });
    });

    describe('labelled key derivation (RFC 9420, sections 8 and 9)', () => {
      test('ExpandWithLabel gives the vector output', async () => {
        const cs = await parleyCipherSuite();
        const { secret, label, context, length, out } = vector.expand_with_label;
        const expanded = await expandWithLabel(
          fromHex(secret),
          label,
          fromHex(context),
          length,
          cs.kdf,
        );
        assertBytes(expanded, out, 'ExpandWithLabel');
      });

      test('DeriveSecret gives the vector output', async () => {
        const cs = await parleyCipherSuite();
        const { secret, label, out } = vector.derive_secret;
        assertBytes(await deriveSecret(fromHex(secret), label, cs.kdf), out, 'DeriveSecret');
      });

      test('DeriveTreeSecret gives the vector output at a 32-bit generation', async () => {
        const cs = await parleyCipherSuite();
        const { secret, label, generation, length, out } = vector.derive_tree_secret;
        const derived = await deriveTreeSecret(fromHex(secret), label, generation, length, cs.kdf);
        assertBytes(derived, out, 'DeriveTreeSecret');
      });
    });

    describe('labelled signatures (RFC 9420, section 5.1.2)', () => {
      test('VerifyWithLabel accepts the vector signature and refuses altered ones', async () => {
        const cs = await parleyCipherSuite();
        const { pub, content, label, signature } = vector.sign_with_label;
        const [key, bytes, sig] = [fromHex(pub), fromHex(content), fromHex(signature)];

        assert.equal(await verifyWithLabel(key, label, bytes, sig, cs.signature), true);
        assert.equal(await verifyWithLabel(key, label, altered(bytes), sig, cs.signature), false);
        assert.equal(await verifyWithLabel(key, `${label}!`, bytes, sig, cs.signature), false);
      });

      // Ed25519 signatures are deterministic (RFC 8032, section 5.1.6), so signing the same
      // content with the same key must reproduce the vector's signature byte for byte.
      test('SignWithLabel reproduces the vector signature', async () => {
        const cs = await parleyCipherSuite();
        const { priv, content, label, signature } = vector.sign_with_label;
        const signed = await signWithLabel(fromHex(priv), label, fromHex(content), cs.signature);
        assertBytes(signed, signature, 'SignWithLabel');
      });
    });

    describe('labelled public-key encryption (RFC 9420, section 5.1.3)', () => {
      test('DecryptWithLabel opens the vector ciphertext only with its context', async () => {
        const cs = await parleyCipherSuite();
        const { priv, label, context, plaintext, kem_output, ciphertext } =
          vector.encrypt_with_label;
        const key = await cs.hpke.importPrivateKey(fromHex(priv));
        const open = (ctx: Uint8Array) =>
          decryptWithLabel(key, label, ctx, fromHex(kem_output), fromHex(ciphertext), cs.hpke);

        assertBytes(await open(fromHex(context)), plaintext, 'DecryptWithLabel');
        await assert.rejects(open(altered(fromHex(context))));
      });

      // HPKE encryption is randomised, so what can be checked is that a fresh ciphertext to the
      // vector's public key opens with the vector's private key.
      test('EncryptWithLabel to the vector key opens with the vector private key', async () => {
        const cs = await parleyCipherSuite();
        const { priv, pub, label, context, plaintext } = vector.encrypt_with_label;
        const sealed = await encryptWithLabel(
          await cs.hpke.importPublicKey(fromHex(pub)),
          label,
          fromHex(context),
          fromHex(plaintext),
          cs.hpke,
        );
        const opened = await decryptWithLabel(
          await cs.hpke.importPrivateKey(fromHex(priv)),
          label,
          fromHex(context),
          sealed.enc,
          sealed.ct,
          cs.hpke,
        );
        assertBytes(opened, plaintext, 'round trip through EncryptWithLabel');
      });
    });
  }
});
