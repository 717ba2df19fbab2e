// Test-only. The browser's side of Web Push: a P-256 key pair and an authentication secret made
// as PushManager.subscribe() makes them, and the decryption a browser applies to each push body
// (RFC 8291, on the aes128gcm content coding of RFC 8188), written here with node:crypto alone
// so that the test checks the server's encryption without trusting the library it used.
import { createDecipheriv, createECDH, hkdfSync, randomBytes, type ECDH } from 'node:crypto';

export class PushReceiver {
  readonly #ecdh: ECDH;
  readonly #authSecret: Buffer;

  private constructor() {
    this.#ecdh = createECDH('prime256v1');
    this.#ecdh.generateKeys();
    this.#authSecret = randomBytes(16);
  }

  static create(): PushReceiver {
    return new PushReceiver();
  }

  /** PushSubscription.toJSON().keys. */
  get keys(): { p256dh: string; auth: string } {
    return {
      p256dh: this.#ecdh.getPublicKey().toString('base64url'),
      auth: this.#authSecret.toString('base64url'),
    };
  }

  /** Decrypts one push body; throws when it was not encrypted to this receiver. */
  decrypt(body: Buffer): Buffer {
    // RFC 8188, section 2.1: salt (16) | record size (4) | key id length (1) | key id, which Web
    // Push sets to the sender's ephemeral public key (RFC 8291, section 4).
    const salt = body.subarray(0, 16);
    const recordSize = body.readUInt32BE(16);
    const keyIdLength = body.readUInt8(20);
    const senderPublicKey = body.subarray(21, 21 + keyIdLength);
    const record = body.subarray(21 + keyIdLength);
    if (keyIdLength !== 65) throw new Error(`key id of ${keyIdLength} bytes, not a P-256 point`);
    if (record.length > recordSize) throw new Error('more than one record');

    // RFC 8291, section 3.4: the input keying material from the ECDH secret and the auth secret.
    const ecdhSecret = this.#ecdh.computeSecret(senderPublicKey);
    const keyInfo = Buffer.concat([
      Buffer.from('WebPush: info\0'),
      this.#ecdh.getPublicKey(),
      senderPublicKey,
    ]);
    const ikm = hkdf(ecdhSecret, this.#authSecret, keyInfo, 32);

    // RFC 8188, section 2.2 and 2.3: the content encryption key and the nonce of record 0.
    const key = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
    const nonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);
    const decipher = createDecipheriv('aes-128-gcm', key, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([
      decipher.update(record.subarray(0, record.length - 16)),
      decipher.final(),
    ]);

    // The last record ends with the delimiter 0x02, then any zero padding.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end--;
    if (padded[end] !== 2) throw new Error('not the last record: its delimiter is missing');
    return padded.subarray(0, end);
  }
}

function hkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}
