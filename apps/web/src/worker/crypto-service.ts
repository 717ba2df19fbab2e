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
  type AuthenticationPolicy,
  type PendingCommit,
  type Received,
} from '@parley/crypto';

import type { CryptoMethods, ReceiveInput, ReceiveResult } from '../shared/crypto-protocol.ts';
import { directoryPolicy } from '../shared/directory-policy.ts';
import {
  applyContent,
  applyUndecryptable,
  historyTransaction,
  type HistoryChange,
} from '../shared/history.ts';
import {
  openLocalDatabase,
  type Account,
  type GroupRecord,
  type LocalDatabase,
} from '../shared/local-database.ts';

type Handlers = {
  [M in keyof CryptoMethods]: (
    input: Parameters<CryptoMethods[M]>[0],
  ) => Promise<ReturnType<CryptoMethods[M]>>;
};

type Proposal = { readonly group: Group; readonly pending: PendingCommit; readonly fresh: boolean };

export class CryptoService implements Handlers {
  #db: LocalDatabase | undefined;
  #account: Account | undefined;
  #keys: DeviceKeys | undefined;
  #policy: AuthenticationPolicy | undefined;
  /** Commits made and sent, waiting for the server's answer; kept with the group that made them. */
  readonly #proposals = new Map<string, Proposal>();

  async open({ account }: { account: Account }) {
    const db = await openLocalDatabase();
    this.#db = db;
    this.#account = account;
    const saved = await db.get('device', 'self');
    let keys: DeviceKeys;
    if (saved?.keys && saved.account.deviceId === account.deviceId) {
      keys = DeviceKeys.deserialize(saved.keys);
    } else {
      keys = await DeviceKeys.create({ userId: account.userId, deviceId: account.deviceId });
      await db.put('device', { account, keys: keys.serialize() }, 'self');
    }
    this.#keys = keys;
    this.#policy = await directoryPolicy(account, db);
    return { signatureKey: keys.identity.signaturePublicKey };
  }

  async makeKeyPackages({ count, lastResort }: { count: number; lastResort: boolean }) {
    const keys = this.#requireKeys();
    const keyPackages = count > 0 ? await keys.createKeyPackages(count) : [];
    const last = lastResort ? await keys.createLastResortKeyPackage() : undefined;
    // Saved before the packages are uploaded: a package out there whose private half was lost
    // would make every Welcome to it unusable.
    await this.#saveKeys();
    return { keyPackages, lastResort: last };
  }

  join(input: { conversationId: string; commitSeq: number; welcome: Uint8Array }) {
    return this.#locked(input.conversationId, async () => {
      const db = this.#requireDb();
      const existing = await db.get('groups', input.conversationId);
      // A Welcome for a commit this device is already past is the one it joined with.
      if (existing && existing.cursor >= input.commitSeq) return { joined: false, reason: 'seen' };
      let group: Group;
      try {
        group = await Group.join(this.#requireKeys(), input.welcome, this.#requirePolicy());
      } catch (error) {
        if (!isCryptoError(error) || error.code === 'DIRECTORY_UNAVAILABLE') throw error;
        return { joined: false, reason: error.code };
      }
      const tx = historyTransaction(db, ['groups', 'device']);
      await tx.objectStore('groups').put(record(input.conversationId, group, input.commitSeq));
      await tx.objectStore('device').put(this.#deviceRecord(), 'self');
      // Joining a conversation that already had messages (a newly linked device, a member added
      // later): MLS gives it no keys for what came before, and the screen says so.
      if (input.commitSeq > 1) {
        await tx.objectStore('messages').put({
          conversationId: input.conversationId,
          id: `joined:${input.commitSeq}`,
          order: input.commitSeq,
          seq: input.commitSeq,
          senderUserId: this.#requireAccount().userId,
          at: Date.now(),
          kind: 'system',
          text: 'Messages sent before this device joined the chat are not shown here.',
          reactions: {},
          deleted: false,
          localNotice: true,
        });
      }
      await tx.done;
      return { joined: true };
    });
  }

  /**
   * Processes consecutive entries of one conversation's log, in seq order. The group state is
   * read once, carried through them in memory, and written once, in the same transaction as
   * the history they produce: a backlog costs one transaction, not one per message.
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
      const group = Group.deserialize(saved.state, this.#requirePolicy());

      // Decrypting first, with no transaction open: IndexedDB commits a transaction that is
      // left waiting on other work.
      type Step = { input: ReceiveInput; received: Received | undefined; own: boolean };
      const steps: Step[] = [];
      let cursor = saved.cursor;
      let removed = false;
      for (const input of messages) {
        if (input.seq <= cursor || removed) continue;
        cursor = input.seq;
        // MLS never encrypts to the sender's own leaf: this device's own messages and commits
        // are known already (its commits were applied when the server accepted them).
        if (input.senderDeviceId === account.deviceId) {
          steps.push({ input, received: undefined, own: true });
          continue;
        }
        let received: Received | undefined;
        try {
          received = await group.receive(input.ciphertext);
        } catch (error) {
          if (!isCryptoError(error) || error.code === 'DIRECTORY_UNAVAILABLE') throw error;
          received = undefined;
        }
        if (received?.type === 'commit' && received.removedSelf) removed = true;
        steps.push({ input, received, own: false });
      }

      const tx = historyTransaction(db, ['groups'], 'relaxed');
      const results = new Map<number, ReceiveResult>();
      for (const { input, received, own } of steps) {
        const origin = {
          conversationId,
          senderUserId: input.senderUserId,
          senderDeviceId: input.senderDeviceId,
          seq: input.seq,
          storedAt: input.storedAt,
          fromSelf: input.senderUserId === account.userId,
        };
        let result: ReceiveResult;
        if (own) {
          result = { type: 'seen' };
        } else if (!received) {
          // Shown as "could not be decrypted" rather than dropped; the log moves on.
          const change: HistoryChange =
            input.kind === 'APPLICATION'
              ? await applyUndecryptable(tx, origin)
              : { conversationId };
          result = { type: 'processed', change };
        } else if (received.type === 'application') {
          result = { type: 'processed', change: await applyContent(tx, origin, received.content) };
        } else {
          result = {
            type: 'commit',
            epoch: received.epoch,
            removedSelf: received.removedSelf,
            addedDeviceIds: received.added.map((device) => device.deviceId),
          };
        }
        results.set(input.seq, result);
      }
      if (removed) await tx.objectStore('groups').delete(conversationId);
      else await tx.objectStore('groups').put(record(conversationId, group, cursor));
      await tx.done;
      return messages.map((input) => results.get(input.seq) ?? { type: 'seen' });
    });
  }

  encrypt(input: { conversationId: string; content: Uint8Array }) {
    return this.#locked(input.conversationId, async () => {
      const db = this.#requireDb();
      const saved = await db.get('groups', input.conversationId);
      if (!saved) throw new Error('This device is not in the conversation’s group yet.');
      const group = Group.deserialize(saved.state, this.#requirePolicy());
      const ciphertext = await group.send(decodeContent(input.content));
      // The sending ratchet moved: a second message from the old state would reuse its key.
      await db.put('groups', record(input.conversationId, group, saved.cursor));
      return { ciphertext };
    });
  }

  proposeAdd(input: { conversationId: string; keyPackages: Uint8Array[] }) {
    return this.#locked(input.conversationId, async () => {
      const saved = await this.#requireDb().get('groups', input.conversationId);
      const policy = this.#requirePolicy();
      const group = saved
        ? Group.deserialize(saved.state, policy)
        : await Group.create(this.#requireKeys(), groupIdOf(input.conversationId), policy);
      const pending = await group.add(input.keyPackages, policy);
      this.#proposals.set(input.conversationId, { group, pending, fresh: !saved });
      return {
        epoch: pending.epoch,
        commit: pending.commit,
        welcome: pending.welcome,
        addedDeviceIds: pending.added.map((device) => device.deviceId),
        removedDeviceIds: pending.removed.map((device) => device.deviceId),
      };
    });
  }

  commitAccepted(input: { conversationId: string; seq: number }) {
    return this.#locked(input.conversationId, async () => {
      const proposal = this.#proposals.get(input.conversationId);
      if (!proposal) throw new Error('No commit is waiting for this conversation.');
      this.#proposals.delete(input.conversationId);
      await proposal.group.applyCommit(proposal.pending);
      await this.#requireDb().put(
        'groups',
        record(input.conversationId, proposal.group, input.seq),
      );
      return { epoch: proposal.group.epoch };
    });
  }

  async commitRefused(input: { conversationId: string }) {
    const proposal = this.#proposals.get(input.conversationId);
    this.#proposals.delete(input.conversationId);
    return { groupKept: !proposal?.fresh };
  }

  async cursors() {
    const groups = await this.#requireDb().getAll('groups');
    return groups.map((group) => ({ conversationId: group.conversationId, seq: group.cursor }));
  }

  async groupDevices({ conversationId }: { conversationId: string }) {
    const saved = await this.#requireDb().get('groups', conversationId);
    if (!saved) return undefined;
    const group = Group.deserialize(saved.state, this.#requirePolicy());
    return { deviceIds: group.members().map((member) => member.deviceId) };
  }

  // Order matters within a group: each message advances its ratchets, and each commit its epoch.
  // The lock spans tabs (and the service worker), which a queue in this worker could not.
  async #locked<T>(conversationId: string, work: () => Promise<T>): Promise<T> {
    return await navigator.locks.request(`parley-group:${conversationId}`, work);
  }

  async #saveKeys(): Promise<void> {
    await this.#requireDb().put('device', this.#deviceRecord(), 'self');
  }

  #deviceRecord() {
    return { account: this.#requireAccount(), keys: this.#requireKeys().serialize() };
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

function record(conversationId: string, group: Group, cursor: number): GroupRecord {
  return { conversationId, state: group.serialize(), cursor };
}
