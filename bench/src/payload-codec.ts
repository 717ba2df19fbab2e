// Bench-only. The stand-in for an MLS ciphertext: opaque bytes of a realistic size whose first
// eight bytes carry the moment the message was meant to leave, so the receiver can compute its
// latency. The rest is random padding, which neither server can compress or interpret.
import { randomBytes } from 'node:crypto';

const timestampBytes = 8;

export class PayloadCodec {
  readonly #scratch: Buffer;

  constructor(readonly byteLength: number) {
    if (byteLength < timestampBytes) {
      throw new Error(`A payload needs at least ${timestampBytes} bytes for its timestamp.`);
    }
    this.#scratch = randomBytes(byteLength);
  }

  /** Base64 of a payload stamped with `sentAtUs` (see clock.ts). */
  encode(sentAtUs: number): string {
    // The scratch buffer is reused: it is written and read in one synchronous step.
    this.#scratch.writeDoubleBE(sentAtUs, 0);
    return this.#scratch.toString('base64');
  }

  /** The timestamp of a payload, or undefined when the bytes are not one of ours. */
  decode(base64: string): number | undefined {
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.byteLength !== this.byteLength) return undefined;
    const sentAtUs = bytes.readDoubleBE(0);
    return Number.isFinite(sentAtUs) ? sentAtUs : undefined;
  }
}
