// Browser-only. One chat in the chat list: who, the last message or "typing…", when, and how
// many messages wait unread. The parts are in the order a screen reader should say them (name,
// online, preview, time, unread) and a grid draws them where the eye expects them.

import type { ChatSummary } from '../model/view-models';
import { Avatar } from './Avatar';
import { formatListTime } from './format-time';
import { TickIcon } from './TickIcon';

export type ChatListRowProps = {
  readonly chat: ChatSummary;
  readonly selected: boolean;
  /** Whether Tab lands on this row: the list keeps one row in the tab order (roving focus). */
  readonly tabbable: boolean;
  readonly now: number;
  readonly onOpen: (id: string) => void;
  readonly onFocus: (id: string) => void;
};

export function ChatListRow({ chat, selected, tabbable, now, onOpen, onFocus }: ChatListRowProps) {
  const last = chat.lastMessage;
  const time = formatListTime(last?.at ?? chat.lastActivityAt, now);
  const prefix = last ? senderPrefix(chat, last) : '';
  const unreadText = chat.unread === 1 ? '1 unread message' : `${chat.unread} unread messages`;

  return (
    <li>
      <button
        type="button"
        className="chat-row"
        data-roving-item
        aria-current={selected ? 'true' : undefined}
        tabIndex={tabbable ? 0 : -1}
        onClick={() => onOpen(chat.id)}
        onFocus={() => onFocus(chat.id)}
      >
        <span className="chat-row__title">{chat.title}</span>
        <Avatar name={chat.title} url={chat.avatarUrl} online={!chat.isGroup && chat.online} />
        {chat.typing ? (
          <span className="chat-row__preview chat-row__preview--typing">typing…</span>
        ) : (
          <span className="chat-row__preview">
            {last?.fromSelf && last.tick && <TickIcon tick={last.tick} />}
            <span className="chat-row__preview-text">
              {last ? `${prefix}${last.text}` : 'No messages yet'}
            </span>
          </span>
        )}
        <span className={`chat-row__time${chat.unread > 0 ? ' chat-row__time--unread' : ''}`}>
          {time}
        </span>
        {chat.unread > 0 && (
          <span className="badge chat-row__badge">
            <span aria-hidden="true">{chat.unread > 99 ? '99+' : chat.unread}</span>
            <span className="visually-hidden">{unreadText}</span>
          </span>
        )}
      </button>
    </li>
  );
}

function senderPrefix(chat: ChatSummary, last: NonNullable<ChatSummary['lastMessage']>) {
  if (last.fromSelf) return 'You: ';
  if (chat.isGroup && last.senderName) return `${last.senderName}: `;

  return '';
}
