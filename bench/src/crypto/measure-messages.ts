// Bench-only. One application message: a member encrypts a short text for the group
// (Group.send) and another member decrypts it (Group.receive), the work every chat message costs
// its sender once and each of its recipients once. The receiver checks the text it got back, so
// that a path that fails quickly is never reported as a fast one.
import { newContentId, type Group, type TextContent } from '@parley/crypto';

import { sampleRounds, timed, type SamplePlan } from './sample-rounds.js';
import type { TimingSummary } from './timing-summary.js';

export type MessageMeasurement = {
  readonly encrypt: TimingSummary;
  readonly decrypt: TimingSummary;
  /** The MLSMessage as the server stores it, for one short text. */
  readonly messageBytes: number;
};

/** A typical chat line; its length barely matters next to MLS's framing and signature. */
const body = 'Running ten minutes late, start without me';

export async function measureMessages(
  sender: Group,
  receiver: Group,
  plan: SamplePlan,
): Promise<MessageMeasurement> {
  let messageBytes = 0;
  const timings = await sampleRounds(plan, async () => {
    const content: TextContent = { type: 'text', id: newContentId(), sentAt: Date.now(), body };
    const sent = await timed(() => sender.send(content));
    const received = await timed(() => receiver.receive(sent.result));

    const got = received.result;
    if (got.type !== 'application' || got.content.type !== 'text' || got.content.body !== body) {
      throw new Error('The receiver did not get the text that was sent.');
    }
    messageBytes = sent.result.length;
    return { encrypt: sent.ms, decrypt: received.ms };
  });
  return { ...timings, messageBytes };
}
