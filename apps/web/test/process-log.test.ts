// The crypto worker's walk through a conversation's log (src/worker/process-log.ts), with real
// MLS groups: a commit of this device's takes effect at its own place in the log, after the
// messages stored before it, and the history believes MLS about who sent a message, not the
// server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  DeviceKeys,
  encodeContent,
  Group,
  groupIdOf,
  newContentId,
  type AuthenticationPolicy,
  type Received,
} from '@parley/crypto';

import type { ReceiveInput } from '../src/shared/crypto-protocol.ts';
import type { GroupRecord } from '../src/shared/local-database.ts';
import { processLog } from '../src/worker/process-log.ts';

const conversationId = 'conversation-1';

async function setUp() {
  const keys = new Map<string, Uint8Array>();
  const policy: AuthenticationPolicy = {
    directory: { signatureKey: async (d) => keys.get(`${d.userId}/${d.deviceId}`) },
  };
  const device = async (userId: string, deviceId: string) => {
    const made = await DeviceKeys.create({ userId, deviceId });
    keys.set(`${userId}/${deviceId}`, made.identity.signaturePublicKey);
    return made;
  };
  const [ana, ben, cleo] = await Promise.all([
    device('ana', 'ana-1'),
    device('ben', 'ben-1'),
    device('cleo', 'cleo-1'),
  ]);
  const anaGroup = await Group.create(ana, groupIdOf(conversationId), policy);
  const adding = await anaGroup.add(await ben.createKeyPackages(1), policy);
  await anaGroup.applyCommit(adding);
  const benGroup = await Group.join(ben, adding.welcome as Uint8Array, policy);
  return { policy, ana, ben, cleo, anaGroup, benGroup };
}

const text = (body: string) => ({
  type: 'text' as const,
  id: newContentId(),
  sentAt: Date.now(),
  body,
});

function entry(
  seq: number,
  sender: { userId: string; deviceId: string },
  kind: ReceiveInput['kind'],
  ciphertext: Uint8Array,
  clientMessageId: string = crypto.randomUUID(),
): ReceiveInput {
  return {
    conversationId,
    seq,
    clientMessageId,
    kind,
    senderUserId: sender.userId,
    senderDeviceId: sender.deviceId,
    ciphertext,
    storedAt: Date.now(),
  };
}

function bodyOf(received: Received | undefined): string | undefined {
  return received?.type === 'application' && received.content.type === 'text'
    ? received.content.body
    : undefined;
}

const benDevice = { userId: 'ben', deviceId: 'ben-1' };
const anaDevice = { userId: 'ana', deviceId: 'ana-1' };

describe('processing a conversation log in the crypto worker', () => {
  it('applies its own commit in its place: a message stored before it still decrypts', async () => {
    const { policy, cleo, anaGroup, benGroup } = await setUp();

    // Ana's device makes a commit adding Cleo; the state it leads to is kept as a proposal.
    const saved: GroupRecord = { conversationId, state: anaGroup.serialize(), cursor: 1 };
    const copy = Group.deserialize(anaGroup.serialize(), policy);
    const pending = await copy.add(await cleo.createKeyPackages(1), policy);
    await copy.applyCommit(pending);
    const commitId = crypto.randomUUID();
    const proposal = { clientMessageId: commitId, epoch: pending.epoch, state: copy.serialize() };

    // Meanwhile Ben sent a message in the old epoch; the server stored it first (seq 2).
    const before = await benGroup.send(text('sent before the commit'));
    await benGroup.receive(pending.commit);
    const after = await benGroup.send(text('sent after the commit'));

    const log = await processLog(
      { ...saved, proposal },
      [
        entry(2, benDevice, 'APPLICATION', before),
        entry(3, anaDevice, 'COMMIT', pending.commit, commitId),
        entry(4, benDevice, 'APPLICATION', after),
      ],
      'ana-1',
      policy,
    );

    const bodies = log.steps.map((step) =>
      step.outcome.type === 'received' ? bodyOf(step.outcome.received) : step.outcome.type,
    );
    assert.deepEqual(bodies, ['sent before the commit', 'own', 'sent after the commit']);
    assert.equal(log.cursor, 4);
    assert.equal(log.proposal, undefined, 'the proposal was used up');
    assert.equal(log.group?.epoch, pending.epoch + 1);
  });

  it('skips what it processed already, and keeps a commit that has not come back', async () => {
    const { policy, anaGroup, benGroup } = await setUp();
    const first = await benGroup.send(text('one'));
    const second = await benGroup.send(text('two'));
    const proposal = { clientMessageId: 'waiting', epoch: 1, state: anaGroup.serialize() };

    const log = await processLog(
      { conversationId, state: anaGroup.serialize(), cursor: 2, proposal },
      [entry(2, benDevice, 'APPLICATION', first), entry(3, benDevice, 'APPLICATION', second)],
      'ana-1',
      policy,
    );
    assert.equal(log.steps.length, 1);
    const [step] = log.steps;
    assert.equal(step?.outcome.type === 'received' && bodyOf(step.outcome.received), 'two');
    assert.deepEqual(log.proposal, proposal);
  });

  it('shows a message as unreadable when MLS names another sender than the server', async () => {
    const { policy, anaGroup, benGroup } = await setUp();
    const forged = await benGroup.send(text('who sent this?'));
    const log = await processLog(
      { conversationId, state: anaGroup.serialize(), cursor: 1 },
      // The server claims Cleo sent what Ben's leaf signed.
      [entry(2, { userId: 'cleo', deviceId: 'cleo-1' }, 'APPLICATION', forged)],
      'ana-1',
      policy,
    );
    assert.equal(log.steps[0]?.outcome.type, 'unreadable');
    assert.equal(log.cursor, 2, 'the log moves on');
  });

  it('waits for its own first commit before a group it is creating takes anything', async () => {
    const { policy, ana, ben } = await setUp();
    const fresh = await Group.create(ana, groupIdOf('conversation-2'), policy);
    const pending = await fresh.add(await ben.createKeyPackages(1), policy);
    await fresh.applyCommit(pending);
    const proposal = { clientMessageId: 'create', epoch: 0, state: fresh.serialize() };
    const stray = encodeContent(text('from before the group'));

    const log = await processLog(
      { conversationId: 'conversation-2', cursor: 0, proposal },
      [
        entry(1, benDevice, 'APPLICATION', stray),
        entry(2, anaDevice, 'COMMIT', pending.commit, 'create'),
      ],
      'ana-1',
      policy,
    );
    assert.deepEqual(
      log.steps.map((step) => step.outcome.type),
      ['own'],
    );
    assert.equal(log.cursor, 2);
    assert.equal(log.group?.epoch, 1);
  });
});
