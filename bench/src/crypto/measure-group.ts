// Bench-only. Everything measured in one group size, in an order that keeps each step honest:
// build the group; join the member that will receive, and read its state while it holds a
// single epoch; time joins of other invited devices; time messages, then commits, between the
// creator and that member; read the member's state again once it has been through enough
// commits that its history of past epochs is full.
import type { Group } from '@parley/crypto';

import { progress } from '../progress.js';
import type { GroupScenario } from './crypto-bench-options.js';
import { GroupUnderTest, type GroupSetup } from './group-under-test.js';
import type { InMemoryDirectory } from './in-memory-directory.js';
import { measureCommits, type CommitMeasurement } from './measure-commits.js';
import { measureJoins, type JoinMeasurement } from './measure-joins.js';
import { measureMessages, type MessageMeasurement } from './measure-messages.js';
import type { SamplePlan } from './sample-rounds.js';

/**
 * Past epochs whose secrets and ratchet tree a member keeps, to read messages that arrive late:
 * ts-mls's default (keyRetentionConfig.retainKeysForEpochs), which @parley/crypto uses.
 */
export const retainedEpochs = 4;

export type GroupStateSizes = {
  /** Group.serialize() of a member right after it joined. */
  readonly afterJoinBytes: number;
  /** The same member's, after `commitsSinceJoin` commits (at least retainedEpochs). */
  readonly steadyBytes: number;
  readonly commitsSinceJoin: number;
};

export type GroupMeasurement = {
  readonly devices: number;
  readonly setup: GroupSetup;
  readonly messages: MessageMeasurement;
  readonly commits: CommitMeasurement | null;
  readonly joins: JoinMeasurement | null;
  readonly state: GroupStateSizes;
};

export async function measureGroup(
  scenario: GroupScenario,
  settings: { readonly devicesPerCommit: number; readonly messages: SamplePlan },
  directory: InMemoryDirectory,
): Promise<GroupMeasurement> {
  const { devices } = scenario;
  const size = `${devices.toLocaleString('en-US')} devices`;

  // The group, and the member that receives everything the creator sends.
  progress(`${size}: building the group`);
  const group = await GroupUnderTest.build(directory, devices, settings.devicesPerCommit);
  const member = await group.join();
  group.requireSameEpoch(member);
  const afterJoinBytes = member.serialize().length;

  let joins: JoinMeasurement | null = null;
  if (scenario.joins) {
    progress(`${size}: joining from the Welcome`);
    joins = await measureJoins(group, scenario.joins);
  }

  progress(`${size}: encrypting and decrypting messages`);
  const messages = await measureMessages(group.creator, member, settings.messages);

  let commits: CommitMeasurement | null = null;
  if (scenario.commits) {
    progress(`${size}: self-updates and adds`);
    commits = await measureCommits(group.creator, member, directory, scenario.commits);
  }

  // State once the member's history of past epochs is full, with unmeasured self-updates if the
  // measured ones were too few to fill it.
  let commitsSinceJoin = commits?.commitsProcessed ?? 0;
  for (; commitsSinceJoin < retainedEpochs; commitsSinceJoin += 1) {
    await selfUpdate(group.creator, member);
  }
  group.requireSameEpoch(member);
  const steadyBytes = member.serialize().length;

  return {
    devices,
    setup: group.setup,
    messages,
    commits,
    joins,
    state: { afterJoinBytes, steadyBytes, commitsSinceJoin },
  };
}

async function selfUpdate(committer: Group, member: Group): Promise<void> {
  const pending = await committer.selfUpdate();
  await committer.applyCommit(pending);
  await member.receive(pending.commit);
}
