// Browser-only (Web Worker). Processes consecutive entries of one conversation's log with the
// group in memory: application messages are decrypted and attributed by MLS itself, others'
// commits move the epoch, and this device's own commit moves it to the state kept when the
// commit was made. Nothing is written here; the caller stores the outcome in one transaction.
import { Group, isCryptoError, type AuthenticationPolicy, type Received } from '@parley/crypto';

import type { ReceiveInput } from '../shared/crypto-protocol.ts';
import type { GroupRecord } from '../shared/local-database.ts';

export type Step = {
  readonly input: ReceiveInput;
  /** undefined: nothing to show (this device's own message, or a commit not decrypted). */
  readonly outcome:
    | { readonly type: 'own' }
    | { readonly type: 'received'; readonly received: Received }
    /** It could not be decrypted, or MLS names another sender than the server did. */
    | { readonly type: 'unreadable' };
};

export type ProcessedLog = {
  readonly steps: readonly Step[];
  /** The group after the last entry; undefined when it was never created or this device left. */
  readonly group: Group | undefined;
  readonly cursor: number;
  readonly proposal: GroupRecord['proposal'];
  readonly removed: boolean;
};

export async function processLog(
  saved: GroupRecord,
  messages: readonly ReceiveInput[],
  ownDeviceId: string,
  policy: AuthenticationPolicy,
): Promise<ProcessedLog> {
  let group = saved.state ? Group.deserialize(saved.state, policy) : undefined;
  let { cursor, proposal } = saved;
  let removed = false;
  const steps: Step[] = [];

  for (const input of messages) {
    if (input.seq <= cursor || removed) continue;
    const ownCommit = proposal?.clientMessageId === input.clientMessageId;

    // A group this device is creating exists from its own commit on; nothing before is its.
    if (!group && !ownCommit) continue;
    cursor = input.seq;

    if (input.senderDeviceId === ownDeviceId) {
      // MLS never encrypts to the sender's own leaf: this device knows what it sent. Its commit
      // takes the group to the state kept when it was made, in the commit's place in the log.
      if (input.kind === 'COMMIT' && proposal && ownCommit) {
        group = Group.deserialize(proposal.state, policy);
        proposal = undefined;
      } else if (input.kind === 'COMMIT') {
        // A commit of this device whose state was lost (the browser's storage was cleared in
        // between): the group cannot follow. Later messages will show as unreadable.
        console.warn('Parley: an own commit came back with no state to move to', input.seq);
      }
      steps.push({ input, outcome: { type: 'own' } });
      continue;
    }

    let received: Received | undefined;
    try {
      received = await (group as Group).receive(input.ciphertext);
    } catch (error) {
      if (!isCryptoError(error) || error.code === 'DIRECTORY_UNAVAILABLE') throw error;
    }
    if (received?.type === 'commit') {
      // Another member's commit took the epoch a proposal of this device was made in.
      proposal = undefined;
      removed = received.removedSelf;
    }
    // The server routes by the sender it recorded; the history believes only MLS's signature.
    const claimed = received?.type === 'application' && !sentBy(received, input);
    steps.push({
      input,
      outcome: received && !claimed ? { type: 'received', received } : { type: 'unreadable' },
    });
  }

  return { steps, group: removed ? undefined : group, cursor, proposal, removed };
}

function sentBy(received: Received & { type: 'application' }, input: ReceiveInput): boolean {
  return (
    received.sender.userId === input.senderUserId &&
    received.sender.deviceId === input.senderDeviceId
  );
}
