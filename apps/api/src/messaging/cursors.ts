// Shared. Relay connection cursors: opaque to clients, strictly parsed when they come back.
import { ParleyError } from '../errors.js';

const invalid = () =>
  new ParleyError('INVALID_CURSOR', 'This cursor is not one that this connection gave out.');

export function encodeSeqCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

export function decodeSeqCursor(cursor: string): number {
  const match = /^seq:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString());
  const seq = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(seq) || seq > 2_147_483_647) throw invalid();
  return seq;
}

export type ActivityPosition = { readonly activityAt: Date; readonly id: string };

export function encodeActivityCursor(position: ActivityPosition): string {
  return Buffer.from(`act:${position.activityAt.getTime()}:${position.id}`).toString('base64url');
}

export function decodeActivityCursor(cursor: string): ActivityPosition {
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^act:(\d{1,15}):([0-9a-f-]{36})$/.exec(text);
  if (!match) throw invalid();
  return { activityAt: new Date(Number(match[1])), id: match[2] as string };
}

/** Checks Relay's `first`/`last` arguments: one direction at a time, at most `max` items. */
export function pageSize(
  first: number | null | undefined,
  last: number | null | undefined,
  max: number,
  fallback: number,
): { direction: 'forward' | 'backward'; size: number } {
  if (first != null && last != null) {
    throw new ParleyError('BAD_USER_INPUT', 'Give either `first` or `last`, not both.');
  }
  const size = first ?? last ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw new ParleyError('BAD_USER_INPUT', `Page size must be between 0 and ${max}.`);
  }
  return { direction: last != null ? 'backward' : 'forward', size };
}
