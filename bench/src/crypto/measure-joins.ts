// Bench-only. Joining a group from a Welcome (RFC 9420, section 12.4.3.1): the joiner decrypts
// its group secrets, then reads and checks the whole ratchet tree that travels in the Welcome,
// asking the directory about every leaf's credential. It is what a device pays on first opening
// a conversation it was added to, and it grows with the group.
import type { GroupUnderTest } from './group-under-test.js';
import { sampleRounds, timed, type SamplePlan } from './sample-rounds.js';
import type { TimingSummary } from './timing-summary.js';

export type JoinMeasurement = {
  readonly join: TimingSummary;
  readonly welcomeBytes: number;
  /** Devices the Welcome is addressed to: all those the group's last add commit added. */
  readonly welcomeRecipients: number;
};

export async function measureJoins(
  group: GroupUnderTest,
  plan: SamplePlan,
): Promise<JoinMeasurement> {
  const needed = plan.warmup + plan.samples;
  if (group.invitedLeft < needed) {
    throw new Error(
      `Measuring joins needs ${needed} invited devices and ${group.invitedLeft} are left: ` +
        'add more devices in the last commit, or take fewer samples.',
    );
  }
  const timings = await sampleRounds(plan, async () => {
    const joined = await timed(() => group.join());
    group.requireSameEpoch(joined.result);
    return { join: joined.ms };
  });
  return {
    ...timings,
    welcomeBytes: group.welcome.length,
    welcomeRecipients: group.welcomeRecipients,
  };
}
