// Bench-only. Commits in a group of N devices (RFC 9420, section 12.4). A self-update is the
// commit whose cost grows with the group: the committer encrypts a fresh path secret to the
// resolution of every node on its copath (section 7.5), and every other member must process the
// commit before it can read the next message. Adding one device is the commit that a new phone
// or a new participant costs.
//
// In a group grown by adds alone, as here, every parent node of the tree is blank, so the
// resolution of the copath is every other member: a self-update carries one HPKE ciphertext per
// other device. Members' own commits fill parent nodes in, and later commits get smaller; this
// measures the group as its creator built it, the costly end.
import type { Group } from '@parley/crypto';

import { byteRangeOf, type ByteRange } from './byte-range.js';
import type { InMemoryDirectory } from './in-memory-directory.js';
import { sampleRounds, timed, type SamplePlan } from './sample-rounds.js';
import type { TimingSummary } from './timing-summary.js';

export type CommitMeasurement = {
  /** Group.selfUpdate(): making the commit. */
  readonly selfUpdate: TimingSummary;
  /** Group.receive(commit) at another member: processing it into the next epoch. */
  readonly processCommit: TimingSummary;
  readonly selfUpdateCommitBytes: ByteRange;
  /** Group.add([keyPackage]): making the commit that adds one device, and its Welcome. */
  readonly addDevice: TimingSummary;
  readonly addCommitBytes: ByteRange;
  readonly addWelcomeBytes: ByteRange;
  /** Epochs the measured member moved through, warm-up included. */
  readonly commitsProcessed: number;
};

export async function measureCommits(
  committer: Group,
  member: Group,
  directory: InMemoryDirectory,
  plan: SamplePlan,
): Promise<CommitMeasurement> {
  // Self-updates, each applied by the committer (as once the server accepted it) and processed by
  // the member, so that both stay in the same epoch for the next round.
  const selfUpdateBytes: number[] = [];
  let commitsProcessed = 0;
  const updates = await sampleRounds(plan, async () => {
    const made = await timed(() => committer.selfUpdate());
    await committer.applyCommit(made.result);
    const processed = await timed(() => member.receive(made.result.commit));

    if (processed.result.type !== 'commit' || processed.result.epoch !== committer.epoch) {
      throw new Error('The member did not reach the epoch the self-update created.');
    }
    commitsProcessed += 1;
    selfUpdateBytes.push(made.result.commit.length);
    return { selfUpdate: made.ms, processCommit: processed.ms };
  });

  // Adding one device. The commit is made and then dropped, as the app drops a commit the server
  // refused: a pending commit changes nothing until applied, so every round adds to a group of
  // the same size. The device and its key package are made before the clock starts.
  const commitBytes: number[] = [];
  const welcomeBytes: number[] = [];
  const adds = await sampleRounds(plan, async () => {
    const [keyPackage] = await (await directory.enroll()).createKeyPackages(1);
    const made = await timed(() => committer.add([keyPackage!], directory.policy));
    commitBytes.push(made.result.commit.length);
    welcomeBytes.push(made.result.welcome?.length ?? 0);
    return { addDevice: made.ms };
  });

  return {
    ...updates,
    selfUpdateCommitBytes: byteRangeOf(selfUpdateBytes),
    ...adds,
    addCommitBytes: byteRangeOf(commitBytes),
    addWelcomeBytes: byteRangeOf(welcomeBytes),
    commitsProcessed,
  };
}
