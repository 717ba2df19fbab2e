// Server-only. Presence: a user is online while any of their devices holds a connection. Each
// connection is kept alive in the ephemeral store by a heartbeat; when the user's last
// connection goes, last seen is written to the database and the change is announced. The same
// entries, kept per device too, tell Web Push which devices have no live connection.
import { conversationChannel } from '../bus/events.js';
import type { Deps } from '../deps.js';
import type { ConversationId, UserId } from '../ids.js';
import type { Viewer } from '../viewer.js';

export class PresenceTracker {
  readonly #deps: Deps;
  readonly #local = new Map<string, Viewer>();
  readonly #pending = new Set<Promise<void>>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(deps: Deps) {
    this.#deps = deps;
    // Refreshing at a third of the expiry leaves room for two missed beats.
    this.#heartbeat = setInterval(
      () => {
        void this.#refreshAll();
      },
      Math.max(deps.limits.presenceTtlMs / 3, 100),
    );
    this.#heartbeat.unref();
  }

  async connected(viewer: Viewer, connectionId: string): Promise<void> {
    this.#local.set(connectionId, viewer);
    const cameOnline = await this.#deps.store.connect(
      viewer,
      connectionId,
      this.#deps.limits.presenceTtlMs,
    );
    if (cameOnline) await this.#announce(viewer.userId, true, null);
  }

  async disconnected(viewer: Viewer, connectionId: string): Promise<void> {
    if (!this.#local.delete(connectionId)) return;
    // Tracked, so that shutdown waits for last-seen writes started by sockets closing on their
    // own, not only for the ones it starts itself.
    const work = this.#wentAway(viewer, connectionId);
    this.#pending.add(work);
    try {
      await work;
    } finally {
      this.#pending.delete(work);
    }
  }

  /** Marks every local connection gone, as on shutdown, and waits for all such work. */
  async disconnectAll(): Promise<void> {
    clearInterval(this.#heartbeat);
    await Promise.allSettled(
      [...this.#local].map(([connectionId, viewer]) => this.disconnected(viewer, connectionId)),
    );
    await Promise.allSettled([...this.#pending]);
  }

  async #wentAway(viewer: Viewer, connectionId: string): Promise<void> {
    const lastGone = await this.#deps.store.disconnect(viewer, connectionId);
    if (!lastGone) return;
    const user = await this.#deps.db.prisma.user.update({
      where: { id: viewer.userId },
      data: { lastSeenAt: new Date() },
      select: { lastSeenAt: true },
    });
    await this.#announce(viewer.userId, false, user.lastSeenAt);
  }

  async #refreshAll(): Promise<void> {
    const ttl = this.#deps.limits.presenceTtlMs;
    await Promise.allSettled(
      [...this.#local].map(([connectionId, viewer]) =>
        this.#deps.store.refresh(viewer, connectionId, ttl),
      ),
    );
  }

  /** Presence goes to each conversation the user is in; subscribers apply privacy settings. */
  async #announce(userId: UserId, online: boolean, lastSeenAt: Date | null): Promise<void> {
    const memberships = await this.#deps.db.prisma.member.findMany({
      where: { userId, leftAt: null },
      select: { conversationId: true },
    });
    await Promise.all(
      memberships.map(({ conversationId }) =>
        this.#deps.bus.publish(conversationChannel(conversationId as ConversationId), {
          type: 'presence',
          conversationId: conversationId as ConversationId,
          userId,
          online,
          lastSeenAt: lastSeenAt?.toISOString() ?? null,
        }),
      ),
    );
  }
}
