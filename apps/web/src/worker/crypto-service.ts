// Browser-only (Web Worker). This device's end-to-end encryption: its keys, one MLS group per
// conversation, and the decrypted history they produce. Group state is read from IndexedDB for
// every operation and written back in the same transaction as the history it produced, under a
// Web Lock per conversation: two tabs of the same browser are one device, and whichever comes
// second finds the message already processed instead of failing to decrypt it again.
import {
  decodeContent,
  DeviceKeys,
  Group,
  groupIdOf,
  isCryptoError,
  ParleyCryptoError,
  type AuthenticationPolicy,
} from '@parley/crypto';

import type { CryptoMethods, ReceiveInput, ReceiveResult } from '../shared/crypto-protocol.ts';
import { directoryPolicy } from '../shared/directory-policy.ts';
import {
  applyContent,
  applyUndecryptable,
  historyTransaction,
  type HistoryChange,
  type HistoryTransaction,
} from '../shared/history.ts';
import { openLocalDatabase, type Account, type LocalDatabase } from '../shared/local-database.ts';
import { processLog } from './process-log.ts';

type Handlers = {
  [M in keyof CryptoMethods]: (
    input: Parameters<CryptoMethods[M]>[0],
  ) => Promise<ReturnType<CryptoMethods[M]>>;
};

export class CryptoService implements Handlers {
  #db: LocalDatabase | undefined;
  #account: Account | undefined;
  #keys: DeviceKeys | undefined;
  #policy: AuthenticationPolicy | undefined;

  async open({ account }: { account: Account }) {
    const db = await openLocalDatabase();
    this.#db = db;
    this.#account = account;
    // Made once per device, under the lock of the keys: two tabs opening at once agree on one.
    const keys = await navigator.locks.request('parley-device-keys', async () => {
      const saved = await db.get('device', 'self');
      if (saved?.keys && saved.account.deviceId === account.deviceId) {
        return DeviceKeys.deserialize(saved.keys);
      }
      const made = await DeviceKeys.create({ userId: account.userId, deviceId: account.deviceId });
      await db.put('device', { account, keys: made.serialize() }, 'self');
      return made;
    });
    this.#keys = keys;
    this.#policy = await directoryPolicy(account, db);
    return { signatureKey: keys.identity.signaturePublicKey };
  }

  /** Reads the pinned keys again, after the user verified a contact or took it back. */
  async reloadPins() {
    this.#policy = await directoryPolicy(this.#requireAccount(), this.#requireDb());
  }

  makeKeyPackages({ count, lastResort }: { count: number; lastResort: boolean }) {
    return this.#withKeys(async (keys) => {
      const keyPackages = count > 0 ? await keys.createKeyPackages(count) : [];
      const last = lastResort ? await keys.createLastResortKeyPackage() : undefined;
      // Saved (by #withKeys) before the packages are uploaded: a package out there whose
      // private half was lost would make every Welcome to it unusable.
      return { keyPackages, lastResort: last };
    });
  }

  join(input: { conversationId: string; commitSeq: number; welcome: Uint8Array }) {
    return this.#locked(input.conversationId, async () => {
      const db = this.#requireDb();
      const existing = await db.get('groups', input.conversationId);
      // A Welcome for a commit this device is already past is the one it joined with.
      if (existing && existing.cursor >= input.commitSeq) return { joined: false, reason: 'seen' };

      return this.#withKeys(async (keys) => {
        let group: Group;
        try {
          group = await Group.join(keys, input.welcome, this.#requirePolicy());
        } catch (error) {
          if (!isCryptoError(error) || error.code === 'DIRECTORY_UNAVAILABLE') throw error;
          return { joined: false, reason: error.code };
        }
        // The server cannot read a Welcome, so it cannot vouch for which group it leads to: a
        // member could address one to a group of their own making under this conversation.
        if (!sameBytes(group.groupId, groupIdOf(input.conversationId))) {
          return { joined: false, reason: 'WRONG_GROUP' };
        }
        const tx = historyTransaction(db, ['groups', 'device']);
        await tx.objectStore('groups').put({
          conversationId: input.conversationId,
          cursor: input.commitSeq,
          state: group.serialize(),
        });
        await tx.objectStore('device').put(this.#deviceRecord(keys), 'self');
        // Joining a conversation that already had messages (a newly linked device, a member
        // added later): MLS gives it no keys for what came before, and the screen says so.
        if (input.commitSeq > 1) await noteJoined(tx, input.conversationId, input.commitSeq);
        await tx.done;
        return { joined: true };
      });
    });
  }

  /**
   * Processes consecutive entries of one conversation's log, in seq order (process-log.ts). The
   * group state is read once and written once, in the same transaction as the history it
   * produced: a backlog costs one transaction, not one per message.
   */
  receive({
    conversationId,
    messages,
  }: {
    conversationId: string;
    messages: readonly ReceiveInput[];
  }): Promise<ReceiveResult[]> {
    return this.#locked(conversationId, async () => {
      const db = this.#requireDb();
      const saved = await db.get('groups', conversationId);
      if (!saved) return messages.map((): ReceiveResult => ({ type: 'not-joined' }));
      const account = this.#requireAccount();
      // Decrypted first, with no transaction open: IndexedDB commits a transaction left
      // waiting on other work.
      const log = await processLog(saved, messages, account.deviceId, this.#requirePolicy());

      const tx = historyTransaction(db, ['groups'], 'relaxed');
      const results = new Map<number, ReceiveResult>();
      for (const { input, outcome } of log.steps) {
        const origin = {
          conversationId,
          senderUserId: input.senderUserId,
          senderDeviceId: input.senderDeviceId,
          seq: input.seq,
          storedAt: input.storedAt,
          fromSelf: input.senderUserId === account.userId,
        };
        let result: ReceiveResult;
        if (outcome.type === 'own') {
          result = { type: 'seen' };
        } else if (outcome.type === 'unreadable') {
          // Shown as "could not be decrypted" rather than dropped; the log moves on.
          const change: HistoryChange =
            input.kind === 'APPLICATION'
              ? await applyUndecryptable(tx, origin)
              : { conversationId };
          result = { type: 'processed', change };
        } else if (outcome.received.type === 'application') {
          const change = await applyContent(tx, origin, outcome.received.content);
          result = { type: 'processed', change };
        } else {
          const commit = outcome.received;
          result = {
            type: 'commit',
            epoch: commit.epoch,
            removedSelf: commit.removedSelf,
            addedDeviceIds: commit.added.map((device) => device.deviceId),
          };
        }
        results.set(input.seq, result);
      }
      const groups = tx.objectStore('groups');
      if (log.removed) await groups.delete(conversationId);
      else {
        await groups.put({
          conversationId,
          cursor: log.cursor,
          ...(log.group && { state: log.group.serialize() }),
          ...(log.proposal && { proposal: log.proposal }),
        });
      }
      await tx.done;
      return messages.map((input) => results.get(input.seq) ?? { type: 'seen' });
    });
  }

  encrypt(input: { conversationId: string; content: Uint8Array }) {
    return this.#locked(input.conversationId, async () => {
      const db = this.#requireDb();
      const saved = await db.get('groups', input.conversationId);
      if (!saved?.state) {
        throw new ParleyCryptoError(
          'NOT_A_MEMBER',
          'This device is not in the conversation’s group yet.',
        );
      }
      const group = Group.deserialize(saved.state, this.#requirePolicy());
      const ciphertext = await group.send(decodeContent(input.content));
      // The sending ratchet moved: a second message from the old state would reuse its key.
      await db.put('groups', { ...saved, state: group.serialize() });
      return { ciphertext };
    });
  }

  proposeAdd(input: {
    conversationId: string;
    clientMessageId: string;
    keyPackages: Uint8Array[];
  }) {
    return this.#locked(input.conversationId, async () => {
      const db = this.#requireDb();
      const saved = await db.get('groups', input.conversationId);
      const policy = this.#requirePolicy();
      const group = saved?.state
        ? Group.deserialize(saved.state, policy)
        : await Group.create(this.#requireKeys(), groupIdOf(input.conversationId), policy);
      const pending = await group.add(input.keyPackages, policy);
      // The state after the commit is kept now, before the commit is sent: if the answer to the
      // submit is lost, the commit still comes back through the log and is applied there.
      await group.applyCommit(pending);
      await db.put('groups', {
        conversationId: input.conversationId,
        cursor: saved?.cursor ?? 0,
        ...(saved?.state && { state: saved.state }),
        proposal: {
          clientMessageId: input.clientMessageId,
          epoch: pending.epoch,
          state: group.serialize(),
        },
      });
      return {
        epoch: pending.epoch,
        commit: pending.commit,
        welcome: pending.welcome,
        addedDeviceIds: pending.added.map((device) => device.deviceId),
        removedDeviceIds: pending.removed.map((device) => device.deviceId),
      };
    });
  }

  commitAccepted(input: { conversationId: string; clientMessageId: string; seq: number }) {
    return this.#locked(input.conversationId, async () => {
      const db = this.#requireDb();
      const saved = await db.get('groups', input.conversationId);
      const proposal = saved?.proposal;
      if (proposal?.clientMessageId !== input.clientMessageId || saved?.state) return;
      // A group this device created: nothing before its first commit is this group's, so it is
      // usable at once, without waiting for the commit to come back.
      await db.put('groups', {
        conversationId: input.conversationId,
        cursor: input.seq,
        state: proposal.state,
      });
    });
  }

  commitRefused(input: { conversationId: string; clientMessageId: string }) {
    return this.#locked(input.conversationId, async () => {
      const db = this.#requireDb();
      const saved = await db.get('groups', input.conversationId);
      if (saved?.proposal?.clientMessageId !== input.clientMessageId) return;
      if (!saved.state) {
        await db.delete('groups', input.conversationId);
        return;
      }
      const { proposal: _, ...rest } = saved;
      await db.put('groups', rest);
    });
  }

  forget({ conversationId }: { conversationId: string }) {
    return this.#locked(conversationId, () => this.#requireDb().delete('groups', conversationId));
  }

  async cursors() {
    const groups = await this.#requireDb().getAll('groups');
    return groups.map((group) => ({ conversationId: group.conversationId, seq: group.cursor }));
  }

  async groupDevices({ conversationId }: { conversationId: string }) {
    const saved = await this.#requireDb().get('groups', conversationId);
    if (!saved?.state) return undefined;
    const group = Group.deserialize(saved.state, this.#requirePolicy());
    return { deviceIds: group.members().map((member) => member.deviceId) };
  }

  // Order matters within a group: each message advances its ratchets, and each commit its epoch.
  // The lock spans tabs (and the service worker), which a queue in this worker could not.
  async #locked<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    return await navigator.locks.request(`parley-group:${conversationId}`, work);
  }

  /**
   * Runs work that changes the device's keys (key packages made or used up) on the keys as
   * stored, under a lock shared by every tab: each tab's worker holds its own copy, and saving
   * a stale copy would lose the private halves of packages another tab made.
   */
  async #withKeys<T>(work: (keys: DeviceKeys) => Promise<T>): Promise<T> {
    return await navigator.locks.request('parley-device-keys', async () => {
      const saved = await this.#requireDb().get('device', 'self');
      const keys = saved?.keys ? DeviceKeys.deserialize(saved.keys) : this.#requireKeys();
      const result = await work(keys);
      await this.#requireDb().put('device', this.#deviceRecord(keys), 'self');
      this.#keys = keys;
      return result;
    });
  }

  #deviceRecord(keys: DeviceKeys) {
    return { account: this.#requireAccount(), keys: keys.serialize() };
  }

  #requireDb(): LocalDatabase {
    if (!this.#db) throw new Error('The crypto worker was not opened.');
    return this.#db;
  }

  #requireAccount(): Account {
    if (!this.#account) throw new Error('The crypto worker was not opened.');
    return this.#account;
  }

  #requireKeys(): DeviceKeys {
    if (!this.#keys) throw new Error('The crypto worker was not opened.');
    return this.#keys;
  }

  #requirePolicy(): AuthenticationPolicy {
    if (!this.#policy) throw new Error('The crypto worker was not opened.');
    return this.#policy;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function noteJoined(
  tx: HistoryTransaction,
  conversationId: string,
  commitSeq: number,
): Promise<void> {
  await tx.objectStore('messages').put({
    conversationId,
    id: `joined:${commitSeq}`,
    order: commitSeq,
    seq: commitSeq,
    senderUserId: '',
    at: Date.now(),
    kind: 'system',
    text: 'Messages sent before this device joined the chat are not shown here.',
    reactions: {},
    deleted: false,
    localNotice: true,
  });
}
