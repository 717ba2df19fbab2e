'use client';

// Browser-only. The scrolling history of an open conversation: days with sticky labels, the
// "new messages" divider, the typing line, the buttons that jump to the first unread and to the
// newest message, and a live region that reads out arrivals. Scrolling rules live in
// useMessageListScroll; this file only draws.

import { type ReactNode, useMemo, useRef } from 'react';

import type { MessageView } from '../model/view-models';
import { formatDayLabel } from './format-time';
import { groupMessages } from './group-messages';
import { Icon } from './Icon';
import { MessageItem } from './MessageItem';
import { Spinner } from './Spinner';
import { useArrivalAnnouncements } from './useArrivalAnnouncements';
import { useMessageListScroll } from './useMessageListScroll';

export type MessageListProps = {
  readonly messages: readonly MessageView[];
  readonly isGroup: boolean;
  readonly hasOlder: boolean;
  readonly firstUnreadId?: string;
  /** "Ana is typing…", or empty. */
  readonly typing: string;
  readonly onLoadOlder: () => void;
  readonly onReact: (id: string, emoji: string) => void;
  readonly onReply: (message: MessageView) => void;
  readonly onEdit: (message: MessageView) => void;
  readonly onDelete: (message: MessageView) => void;
  readonly onCopy: (message: MessageView) => void;
  readonly onRetry: (id: string) => void;
};

export function MessageList(props: MessageListProps) {
  const { messages, isGroup, hasOlder, firstUnreadId, typing } = props;
  const scrollerRef = useRef<HTMLElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const scroll = useMessageListScroll({
    scrollerRef,
    contentRef,
    messages,
    hasOlder,
    firstUnreadId,
    onLoadOlder: props.onLoadOlder,
  });
  const announcements = useArrivalAnnouncements(messages);
  const days = useMemo(() => groupMessages(messages), [messages]);
  const now = Date.now();

  const unreadLoaded = firstUnreadId !== undefined && messages.some((m) => m.id === firstUnreadId);
  const unreadAt = scroll.unreadPosition;
  const showUnreadJump = unreadAt === 'above' || unreadAt === 'below';
  const showBottomJump = scroll.farFromBottom || scroll.newBelow > 0;

  return (
    <div className="message-list">
      <section
        className="message-list__scroller"
        ref={scrollerRef}
        onScroll={scroll.onScroll}
        aria-label="Messages"
        // Focusable so that the history scrolls with the arrow keys and Page Up/Down.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable
        tabIndex={0}
      >
        <div className="message-list__content" ref={contentRef}>
          {hasOlder ? (
            <p className="message-list__older">
              <Spinner size={18} />
              Loading older messages…
            </p>
          ) : (
            messages.length > 0 && (
              <p className="message-list__start">
                <Icon name="lock" size={16} />
                Messages in this chat are end-to-end encrypted: only the people in it can read them.
                Not even Parley can.
              </p>
            )
          )}

          {days.map((day) => (
            <div className="day" key={day.key}>
              <h3 className="day__label">
                <span>{formatDayLabel(day.at, now)}</span>
              </h3>
              <ol className="day__messages">
                {day.messages.map(({ message, firstInRun }) => (
                  <MessageEntry
                    key={message.id}
                    unreadDivider={unreadLoaded && message.id === firstUnreadId}
                  >
                    <MessageItem
                      message={message}
                      showSender={isGroup && !message.fromSelf && firstInRun}
                      firstInRun={firstInRun}
                      highlighted={scroll.highlightedId === message.id}
                      onJumpTo={scroll.jumpToMessage}
                      onReact={props.onReact}
                      onReply={props.onReply}
                      onEdit={props.onEdit}
                      onDelete={props.onDelete}
                      onCopy={props.onCopy}
                      onRetry={props.onRetry}
                    />
                  </MessageEntry>
                ))}
              </ol>
            </div>
          ))}

          {typing && (
            <p className="typing-line">
              <span className="typing-line__dots" aria-hidden="true">
                <span />
                <span />
                <span />
              </span>
              {typing}
            </p>
          )}
        </div>
      </section>

      {showUnreadJump && (
        <button type="button" className="jump jump--unread" onClick={scroll.jumpToUnread}>
          <Icon name={unreadAt === 'below' ? 'arrowDown' : 'arrowUp'} size={18} />
          Jump to first unread
        </button>
      )}
      {showBottomJump && (
        <button
          type="button"
          className="jump jump--bottom"
          onClick={scroll.scrollToBottom}
          aria-label={scroll.newBelow > 0 ? undefined : 'Go to the newest message'}
        >
          {scroll.newBelow > 0 && <span className="jump__label">New messages</span>}
          <Icon name="arrowDown" size={20} />
          {scroll.newBelow > 0 && <span className="badge">{scroll.newBelow}</span>}
        </button>
      )}

      <div className="visually-hidden" aria-live="polite" aria-atomic="false">
        {announcements.map((announcement) => (
          <p key={announcement.key}>{announcement.text}</p>
        ))}
      </div>
    </div>
  );
}

type MessageEntryProps = {
  readonly unreadDivider: boolean;
  readonly children: ReactNode;
};

// The divider is a list item of its own before the first unread message, and a heading so that
// screen reader users can jump to it as they jump between days.
function MessageEntry({ unreadDivider, children }: MessageEntryProps) {
  if (!unreadDivider) return children;

  return (
    <>
      <li className="unread-divider">
        <h3 data-unread-divider tabIndex={-1}>
          <span>New messages</span>
        </h3>
      </li>
      {children}
    </>
  );
}
