// Shared. Arranges a conversation's messages for display: by calendar day, with runs of
// messages from one sender close together, the way people read a chat.

import type { MessageView } from '../model/view-models';
import { dayKey } from './format-time';

/** Messages from one sender closer together than this share a run (one tail, one name). */
const runGapMs = 5 * 60 * 1000;

export type PlacedMessage = {
  readonly message: MessageView;
  readonly firstInRun: boolean;
};

export type MessageDay = {
  readonly key: string;
  /** When the day's first message was sent, for its label. */
  readonly at: number;
  readonly messages: readonly PlacedMessage[];
};

export function groupMessages(messages: readonly MessageView[]): MessageDay[] {
  const days: { key: string; at: number; messages: PlacedMessage[] }[] = [];
  let previous: MessageView | undefined;

  for (const message of messages) {
    const key = dayKey(message.at);
    let day = days.at(-1);
    if (!day || day.key !== key) {
      day = { key, at: message.at, messages: [] };
      days.push(day);
      previous = undefined;
    }

    day.messages.push({ message, firstInRun: !continuesRun(previous, message) });
    previous = message;
  }

  return days;
}

function continuesRun(previous: MessageView | undefined, message: MessageView): boolean {
  if (!previous || previous.kind === 'system' || message.kind === 'system') return false;

  return (
    previous.fromSelf === message.fromSelf &&
    previous.senderName === message.senderName &&
    message.at - previous.at < runGapMs
  );
}
