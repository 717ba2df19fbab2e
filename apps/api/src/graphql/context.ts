// Server-only. What every resolver receives. Authentication happens once per HTTP request or
// once per WebSocket connection, before any resolver runs.
import type { Deps } from '../deps.js';
import type { User } from '../generated/prisma/client.ts';
import { ParleyError } from '../errors.js';
import type { Viewer } from '../viewer.js';
import type { ReceiptSummary } from '../messaging/receipts.js';

export type Context = {
  readonly deps: Deps;
  /** The signed-in device, or null for anonymous operations (sign-in, introspection). */
  readonly viewer: Viewer | null;
  /** Why the presented token was refused, reported by the first resolver that needs a viewer. */
  readonly authError: ParleyError | null;
  /** The client's network address, for per-address limits. */
  readonly clientAddress: string;
  /** The viewer's user row, read at most once per operation (privacy and receipt settings). */
  readonly self: () => Promise<User>;
  /** Per-operation memo of receipt summaries, so a page of messages costs one query. */
  readonly receiptSummaries: Map<string, Promise<ReceiptSummary>>;
};

export function requireViewer(context: Context): Viewer {
  if (context.viewer) return context.viewer;
  throw (
    context.authError ??
    new ParleyError(
      'UNAUTHENTICATED',
      'Sign in first: send the device token as "Authorization: Bearer <token>".',
    )
  );
}
