// Browser-only. How times read on screen, in the user's own locale. Every function takes `now`
// so that a list formats all its rows against the same instant.

const dayMs = 24 * 60 * 60 * 1000;

const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const shortDate = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'numeric',
  year: '2-digit',
});
const longDate = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const longDateThisYear = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
});
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const mediumDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** Whole calendar days between two instants, in local time: 0 today, 1 yesterday. */
export function daysAgo(at: number, now: number): number {
  const startOf = (ms: number) => new Date(ms).setHours(0, 0, 0, 0);

  return Math.round((startOf(now) - startOf(at)) / dayMs);
}

/** A chat list row: "14:02" today, "Yesterday", "Tuesday" this week, else a short date. */
export function formatListTime(at: number, now: number): string {
  const days = daysAgo(at, now);
  if (days <= 0) return clock.format(at);
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekday.format(at);

  return shortDate.format(at);
}

/** The time under a message bubble. */
export function formatClock(at: number): string {
  return clock.format(at);
}

/** A day separator in a conversation: "Today", "Yesterday", "Tuesday 3 March". */
export function formatDayLabel(at: number, now: number): string {
  const days = daysAgo(at, now);
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';

  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();

  return sameYear ? longDateThisYear.format(at) : longDate.format(at);
}

/** A full date and time, for tooltips and for device lists. */
export function formatDateTime(at: number): string {
  return fullDateTime.format(at);
}

/** A date without the time: "3 Nov 2026". */
export function formatDate(at: number): string {
  return mediumDate.format(at);
}

/** Local calendar day key, to group messages by the day they were sent. */
export function dayKey(at: number): string {
  const date = new Date(at);

  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}
