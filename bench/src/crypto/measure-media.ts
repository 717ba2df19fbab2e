// Bench-only. Media encryption (encryptMedia and decryptMedia): a fresh AES-256-GCM key per file,
// 64 KiB chunks sealed one by one, and the ciphertext's SHA-256, all on the sender's device
// before upload and on the receiver's after download. Throughput is the file's plaintext size
// over the median time, so that one slow round (a garbage collection) does not set it.
import { randomFillSync } from 'node:crypto';

import { decryptMedia, encryptMedia } from '@parley/crypto';

import { sampleRounds, timed, type SamplePlan } from './sample-rounds.js';
import type { TimingSummary } from './timing-summary.js';

export type MediaMeasurement = {
  readonly plaintextBytes: number;
  readonly ciphertextBytes: number;
  readonly encrypt: TimingSummary;
  readonly decrypt: TimingSummary;
  /** Plaintext megabytes (10^6 bytes) per second, at the median. */
  readonly encryptMBps: number;
  readonly decryptMBps: number;
};

export async function measureMedia(bytes: number, plan: SamplePlan): Promise<MediaMeasurement> {
  // Random bytes, like the compressed photos and videos people send: nothing to gain from
  // patterns, and no way for any layer to shortcut them.
  const plaintext = randomFillSync(new Uint8Array(bytes));
  let ciphertextBytes = 0;
  const timings = await sampleRounds(plan, async () => {
    const sealed = await timed(() => encryptMedia(plaintext));
    const { ciphertext, key, digest } = sealed.result;
    const opened = await timed(() => decryptMedia(ciphertext, { key, digest }));

    if (Buffer.compare(opened.result, plaintext) !== 0) {
      throw new Error('The decrypted file differs from the file that was encrypted.');
    }
    ciphertextBytes = ciphertext.length;
    return { encrypt: sealed.ms, decrypt: opened.ms };
  });

  const perSecond = (ms: number) => Math.round((bytes / 1e6 / (ms / 1_000)) * 10) / 10;
  return {
    plaintextBytes: bytes,
    ciphertextBytes,
    ...timings,
    encryptMBps: perSecond(timings.encrypt.medianMs),
    decryptMBps: perSecond(timings.decrypt.medianMs),
  };
}
