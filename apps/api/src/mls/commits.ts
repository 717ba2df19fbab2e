// Server-only. The handshake log: one ordered sequence of commits per conversation, kept in the
// conversation's message log so that every member processes commits and application messages in
// one order. A commit is accepted only for the group's current epoch (RFC 9420, section 14):
// of two commits made in the same epoch, the first to arrive wins and the other gets
// STALE_EPOCH with the current epoch, so its sender processes the winner and tries again.
//
// The server cannot read a commit (it travels as a PrivateMessage), so the client states which
// devices it adds and removes. The server checks that statement against what the committer may
// do, and routes by it; members' clients check the commit itself when they process it.
import { isWelcome, readHandshakeHeader } from '@parley/crypto';

import { conversationChannel, userChannel, type BusEvent } from '../bus/events.js';
import type { Deps } from '../deps.js';
import { badInput, ParleyError } from '../errors.js';
import type { Message } from '../generated/prisma/client.ts';
import { newMessageId, type ConversationId, type DeviceId, type UserId } from '../ids.js';
import { requireMembership } from '../messaging/conversations.js';
import { clientMessageIdPattern, toMessageEvent } from '../messaging/messages.js';
import { enforceRateLimit } from '../rate-limit.js';
import type { Viewer } from '../viewer.js';
import { planChanges, type Plan } from './commit-plan.js';
import { groupIdOf } from './public-ids.js';

export type CommitInput = {
  conversationId: ConversationId;
  clientMessageId: string;
  commit: Uint8Array;
  welcome: Uint8Array | null | undefined;
  addedDeviceIds: readonly DeviceId[];
  removedDeviceIds: readonly DeviceId[];
};

export type CommitResult = { message: Message; epoch: number; duplicate: boolean };

const invalid = (message: string) => new ParleyError('INVALID_COMMIT', message);

export async function submitCommit(
  deps: Deps,
  viewer: Viewer,
  input: CommitInput,
): Promise<CommitResult> {
  checkShape(deps, input);
  await enforceRateLimit(
    deps.store,
    `commits:${viewer.deviceId}`,
    deps.limits.commitsPerDevice,
    'commits',
  );

  // A retry of a commit that was stored returns what the first attempt got.
  const earlier = await earlierAttempt(deps, viewer, input);
  if (earlier) return earlier;

  const header = readHeader(input);
  if (!groupIdOf(input.conversationId).equals(Buffer.from(header.groupId))) {
    throw invalid('The commit belongs to another MLS group than this conversation’s.');
  }
  const { conversation, member } = await requireMembership(deps, viewer, input.conversationId);
  if (header.epoch !== conversation.epoch) {
    const raced = await earlierAttempt(deps, viewer, input);
    if (raced) return raced;
    throw staleEpoch(conversation.epoch);
  }

  const plan = await planChanges(deps, viewer, conversation, member.role === 'ADMIN', input);
  return store(deps, viewer, input, header.epoch, plan);
}

/** The stored result of an earlier attempt with this client message id, if there was one. */
async function earlierAttempt(
  deps: Deps,
  viewer: Viewer,
  input: CommitInput,
): Promise<CommitResult | undefined> {
  const earlier = await deps.db.prisma.message.findUnique({
    where: {
      senderDeviceId_clientMessageId: {
        senderDeviceId: viewer.deviceId,
        clientMessageId: input.clientMessageId,
      },
    },
  });
  if (!earlier) return undefined;
  if (earlier.conversationId !== input.conversationId || earlier.kind !== 'COMMIT') {
    throw new ParleyError(
      'CLIENT_MESSAGE_ID_CONFLICT',
      'This device already used this clientMessageId for another message.',
    );
  }
  return { message: earlier, epoch: (earlier.epoch ?? 0) + 1, duplicate: true };
}

function checkShape(deps: Deps, input: CommitInput): void {
  if (!clientMessageIdPattern.test(input.clientMessageId)) {
    throw badInput(
      'clientMessageId has 1 to 128 letters, digits or the characters _ . : -',
      'clientMessageId',
    );
  }
  const size = input.commit.byteLength + (input.welcome?.byteLength ?? 0);
  if (size > deps.config.maxHandshakeBytes) {
    throw new ParleyError(
      'MESSAGE_TOO_LARGE',
      `A commit and its Welcome hold at most ${deps.config.maxHandshakeBytes} bytes together.`,
      { maxBytes: deps.config.maxHandshakeBytes },
    );
  }
  const added = new Set(input.addedDeviceIds);
  if (added.size !== input.addedDeviceIds.length) throw invalid('A device is named twice.');
  if (input.addedDeviceIds.length > 0 && input.removedDeviceIds.length > 0) {
    // Removing and adding in one commit breaks the removed member's client in ts-mls 1.x, and
    // a removal should never wait for an addition.
    throw invalid('Removals go in a commit of their own: split this into two commits.');
  }
  if (input.addedDeviceIds.length > 0 && !input.welcome) {
    throw invalid('A commit that adds devices needs the Welcome for them.');
  }
  if (input.addedDeviceIds.length === 0 && input.welcome) {
    throw invalid('A Welcome was sent, but the commit adds no device.');
  }
  if (input.welcome && !isWelcome(input.welcome)) {
    throw invalid('The welcome is not an MLS Welcome message.');
  }
}

function readHeader(input: CommitInput) {
  let header: ReturnType<typeof readHandshakeHeader>;
  try {
    header = readHandshakeHeader(input.commit);
  } catch {
    throw invalid('The commit is not an MLS private message.');
  }
  if (header.contentType !== 'commit') {
    throw invalid(`The message holds a ${header.contentType}, not a commit.`);
  }
  return header;
}

const staleEpoch = (currentEpoch: number) =>
  new ParleyError(
    'STALE_EPOCH',
    `The group is in epoch ${currentEpoch}: process the commits you missed, then commit again.`,
    { currentEpoch },
  );

type StoredCommit = { seq: number; created_at: Date | string; epoch: number };

async function store(
  deps: Deps,
  viewer: Viewer,
  input: CommitInput,
  epoch: number,
  plan: Plan,
): Promise<CommitResult> {
  const id = newMessageId();
  const welcomeId = crypto.randomUUID();
  const conversationId = input.conversationId;

  const outcome = await deps.db.sql.transaction(async (sql) => {
    // The compare-and-set on the epoch is the whole ordering rule: it takes the conversation's
    // row lock, so of two commits for one epoch exactly one finds it unchanged.
    const [bumped] = await sql.query<StoredCommit>(
      `UPDATE conversations SET epoch = epoch + 1, last_seq = last_seq + 1
       WHERE id = $1::uuid AND epoch = $2
       RETURNING last_seq AS seq, now() AS created_at, epoch`,
      [conversationId, epoch],
    );
    if (!bumped) return undefined;
    const seq = bumped.seq;

    await sql.query(
      `INSERT INTO messages (id, conversation_id, seq, sender_device_id, sender_user_id,
         client_message_id, ciphertext, kind, epoch, created_at)
       VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5::uuid, $6, $7::bytea, 'COMMIT', $8, $9)`,
      [
        id,
        conversationId,
        seq,
        viewer.deviceId,
        viewer.userId,
        input.clientMessageId,
        Buffer.from(input.commit),
        epoch,
        bumped.created_at,
      ],
    );
    if (plan.founding) {
      await sql.query(
        `INSERT INTO group_devices (conversation_id, device_id, user_id, added_seq)
         VALUES ($1::uuid, $2::uuid, $3::uuid, 0) ON CONFLICT DO NOTHING`,
        [conversationId, viewer.deviceId, viewer.userId],
      );
    }
    for (const device of plan.added) {
      await sql.query(
        `INSERT INTO group_devices (conversation_id, device_id, user_id, added_seq)
         VALUES ($1::uuid, $2::uuid, $3::uuid, $4)
         ON CONFLICT (conversation_id, device_id)
         DO UPDATE SET added_seq = EXCLUDED.added_seq, removed_seq = NULL`,
        [conversationId, device.id, device.userId, seq],
      );
    }
    if (plan.removed.length > 0) {
      await sql.query(
        `UPDATE group_devices SET removed_seq = $3
         WHERE conversation_id = $1::uuid AND device_id = ANY($2::uuid[])`,
        [conversationId, plan.removed.map((d) => d.id), seq],
      );
    }

    // Membership follows the group: a user joins with their first device and sees what comes
    // after this commit; a user whose last device another member removed has left.
    for (const userId of plan.joiningUserIds) {
      await sql.query(
        `INSERT INTO members (conversation_id, user_id, role, joined_seq, delivered_seq, read_seq)
         VALUES ($1::uuid, $2::uuid, 'MEMBER', $3, $3, $3)
         ON CONFLICT (conversation_id, user_id) DO UPDATE
         SET left_at = NULL, joined_at = now(), role = 'MEMBER',
             joined_seq = $3, delivered_seq = $3, read_seq = $3`,
        [conversationId, userId, seq],
      );
    }
    const othersRemoved = [
      ...new Set(plan.removed.map((d) => d.userId).filter((u) => u !== viewer.userId)),
    ];
    const left =
      othersRemoved.length === 0
        ? []
        : await sql.query<{ user_id: string }>(
            `UPDATE members m SET left_at = now()
             WHERE m.conversation_id = $1::uuid AND m.user_id = ANY($2::uuid[])
               AND m.left_at IS NULL
               AND NOT EXISTS (
                 SELECT 1 FROM group_devices g
                 WHERE g.conversation_id = m.conversation_id AND g.user_id = m.user_id
                   AND g.removed_seq IS NULL
               )
             RETURNING m.user_id`,
            [conversationId, othersRemoved],
          );

    if (input.welcome) {
      await sql.query(
        `INSERT INTO welcomes (id, conversation_id, commit_seq, epoch, welcome)
         VALUES ($1::uuid, $2::uuid, $3, $4, $5::bytea)`,
        [welcomeId, conversationId, seq, bumped.epoch, Buffer.from(input.welcome)],
      );
      await sql.query(
        `INSERT INTO welcome_recipients (welcome_id, device_id)
         SELECT $1::uuid, unnest($2::uuid[])`,
        [welcomeId, plan.added.map((d) => d.id)],
      );
    }
    return { seq, createdAt: new Date(bumped.created_at), epoch: bumped.epoch, left };
  });

  if (!outcome) {
    // The same commit sent twice at once: the other attempt moved the epoch, and its result is
    // this one's too.
    const raced = await earlierAttempt(deps, viewer, input);
    if (raced) return raced;
    const now = await deps.db.prisma.conversation.findUniqueOrThrow({
      where: { id: conversationId },
      select: { epoch: true },
    });
    throw staleEpoch(now.epoch);
  }

  const message: Message = {
    id,
    conversationId,
    seq: outcome.seq,
    senderDeviceId: viewer.deviceId,
    senderUserId: viewer.userId,
    clientMessageId: input.clientMessageId,
    ciphertext: new Uint8Array(input.commit),
    createdAt: outcome.createdAt,
    kind: 'COMMIT',
    epoch,
  };
  await announce(deps, viewer, conversationId, message, plan, {
    welcomeId: input.welcome ? welcomeId : undefined,
    epoch: outcome.epoch,
    leftUserIds: outcome.left.map((row) => row.user_id as UserId),
  });
  return { message, epoch: outcome.epoch, duplicate: false };
}

/**
 * Tells everyone concerned, in an order that lets each subscriber act on what it receives:
 * a joiner's Welcome before the membership change that makes it replay the conversation, and
 * the commit on the conversation's channel before the removed hear that they left.
 */
async function announce(
  deps: Deps,
  viewer: Viewer,
  conversationId: ConversationId,
  message: Message,
  plan: Plan,
  done: { welcomeId: string | undefined; epoch: number; leftUserIds: UserId[] },
): Promise<void> {
  const publish = (channel: Parameters<Deps['bus']['publish']>[0], event: BusEvent) =>
    deps.bus.publish(channel, event);

  if (done.welcomeId) {
    const byUser = new Map<UserId, DeviceId[]>();
    for (const device of plan.added) {
      const list = byUser.get(device.userId as UserId) ?? [];
      list.push(device.id as DeviceId);
      byUser.set(device.userId as UserId, list);
    }
    for (const [userId, deviceIds] of byUser) {
      await publish(userChannel(userId), {
        type: 'welcome',
        conversationId,
        welcomeId: done.welcomeId,
        deviceIds,
        commitSeq: message.seq,
        epoch: done.epoch,
      });
    }
    // Devices that are away learn of it by push; they join when they next connect.
    deps.push.welcomeStored(conversationId, message.seq, [...byUser.values()].flat());
  }
  const membership = async (change: 'MEMBER_ADDED' | 'MEMBER_REMOVED', userIds: UserId[]) => {
    if (userIds.length === 0) return;
    const event: BusEvent = { type: 'conversation', conversationId, change, userIds };
    await publish(conversationChannel(conversationId), event);
    for (const userId of userIds) await publish(userChannel(userId), event);
  };

  await membership('MEMBER_ADDED', plan.joiningUserIds);
  await publish(conversationChannel(conversationId), toMessageEvent(message));
  await membership('MEMBER_REMOVED', done.leftUserIds);
  deps.log.child({ subsystem: 'mls' }).info(
    {
      conversationId,
      deviceId: viewer.deviceId,
      seq: message.seq,
      epoch: done.epoch,
      added: plan.added.length,
      removed: plan.removed.length,
    },
    'commit accepted',
  );
}
