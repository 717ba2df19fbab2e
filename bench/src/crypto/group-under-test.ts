// Bench-only. A conversation of N devices, grown the way the app grows one: the creator claims
// one key package per device and adds the devices in commits of a bounded size, applying each as
// it would once the server accepted it. Only the creator holds a Group at first. The devices the
// last commit added stay invited, with its Welcome, and a measurement joins just those it needs:
// a thousand joined members would cost a thousand joins and a thousand copies of the tree.
import { Group, groupIdOf, type DeviceKeys, type PendingCommit } from '@parley/crypto';

import { publicId, type InMemoryDirectory } from './in-memory-directory.js';

/** How the group was built; measured once, for scale, not sampled. */
export type GroupSetup = {
  readonly keyPackages: number;
  /** Creating those devices' keys and one key package each. */
  readonly keyPackagesMs: number;
  readonly addCommits: number;
  /** Making and applying every add commit. */
  readonly addCommitsMs: number;
  readonly largestAddCommitBytes: number;
  readonly largestWelcomeBytes: number;
};

export class GroupUnderTest {
  readonly devices: number;
  /** The device that created the group and made every commit so far. */
  readonly creator: Group;
  /** The last add commit's Welcome, addressed to every device it added. */
  readonly welcome: Uint8Array;
  /** How many devices that Welcome is addressed to. */
  readonly welcomeRecipients: number;
  readonly setup: GroupSetup;
  readonly #invited: DeviceKeys[];
  readonly #directory: InMemoryDirectory;

  private constructor(fields: {
    devices: number;
    creator: Group;
    last: PendingCommit;
    invited: DeviceKeys[];
    setup: GroupSetup;
    directory: InMemoryDirectory;
  }) {
    this.devices = fields.devices;
    this.creator = fields.creator;
    this.welcome = fields.last.welcome!;
    this.welcomeRecipients = fields.last.added.length;
    this.setup = fields.setup;
    this.#invited = fields.invited;
    this.#directory = fields.directory;
  }

  static async build(
    directory: InMemoryDirectory,
    devices: number,
    devicesPerCommit: number,
  ): Promise<GroupUnderTest> {
    if (!Number.isInteger(devices) || devices < 2) {
      throw new Error(`A group to measure needs at least 2 devices, not ${devices}.`);
    }

    // Every device but the creator, each with the one key package the creator will claim.
    let started = performance.now();
    const invitees: { keys: DeviceKeys; keyPackage: Uint8Array }[] = [];
    for (let index = 1; index < devices; index += 1) {
      const keys = await directory.enroll();
      const [keyPackage] = await keys.createKeyPackages(1);
      invitees.push({ keys, keyPackage: keyPackage! });
    }
    const keyPackagesMs = Math.round(performance.now() - started);

    // The group, then the devices in commits of at most devicesPerCommit.
    const creator = await Group.create(
      await directory.enroll(),
      groupIdOf(publicId('Conversation')),
      directory.policy,
    );
    started = performance.now();
    let last: PendingCommit | undefined;
    let invited: DeviceKeys[] = [];
    let addCommits = 0;
    let largestAddCommitBytes = 0;
    let largestWelcomeBytes = 0;
    for (let start = 0; start < invitees.length; start += devicesPerCommit) {
      const batch = invitees.slice(start, start + devicesPerCommit);
      last = await creator.add(
        batch.map((invitee) => invitee.keyPackage),
        directory.policy,
      );
      await creator.applyCommit(last);
      invited = batch.map((invitee) => invitee.keys);
      addCommits += 1;
      largestAddCommitBytes = Math.max(largestAddCommitBytes, last.commit.length);
      largestWelcomeBytes = Math.max(largestWelcomeBytes, last.welcome?.length ?? 0);
    }
    const addCommitsMs = Math.round(performance.now() - started);

    return new GroupUnderTest({
      devices,
      creator,
      last: last!,
      invited,
      setup: {
        keyPackages: invitees.length,
        keyPackagesMs,
        addCommits,
        addCommitsMs,
        largestAddCommitBytes,
        largestWelcomeBytes,
      },
      directory,
    });
  }

  /** Invited devices that have not joined yet. */
  get invitedLeft(): number {
    return this.#invited.length;
  }

  /**
   * The next invited device joins from the Welcome. Nothing but the join runs before it returns,
   * so that a caller can time it; the caller checks the epoch with `requireSameEpoch`.
   */
  join(): Promise<Group> {
    const keys = this.#invited.pop();
    if (!keys) throw new Error('Every device the last commit added has joined already.');
    return Group.join(keys, this.welcome, this.#directory.policy);
  }

  /** A member that does not share the creator's epoch would measure a broken group. */
  requireSameEpoch(member: Group): void {
    if (member.epoch !== this.creator.epoch) {
      throw new Error(
        `A member is in epoch ${member.epoch}, the creator in ${this.creator.epoch}: ` +
          'the group forked, and nothing measured in it would mean anything.',
      );
    }
  }
}
