'use client';

// Browser-only. One message in a conversation: a bubble (yours on the right), or a centred line
// for system messages. Messages that cannot be shown (deleted, undecryptable, unsupported) keep
// their place and say why, so that a conversation never silently loses a turn.

import { type MouseEvent, memo, useState } from 'react';

import type { MessageView } from '../model/view-models';
import { formatClock, formatDateTime } from './format-time';
import { Icon, type IconName } from './Icon';
import { MessageMenu } from './MessageMenu';
import { MessageText } from './MessageText';
import { nameHash } from './name-hash';
import { ReactionChips } from './ReactionChips';
import { ReplyQuote } from './ReplyQuote';
import { TickIcon } from './TickIcon';

export type MessageItemProps = {
  readonly message: MessageView;
  /** Shows the sender's name on the bubble: the first of a run in a group chat. */
  readonly showSender: boolean;
  /** The first bubble of a run from one sender gets the tail and a little more space above. */
  readonly firstInRun: boolean;
  /** Briefly marked after a jump to it (from a reply quote). */
  readonly highlighted: boolean;
  readonly onJumpTo: (id: string) => void;
  readonly onReact: (id: string, emoji: string) => void;
  readonly onReply: (message: MessageView) => void;
  readonly onEdit: (message: MessageView) => void;
  readonly onDelete: (message: MessageView) => void;
  readonly onCopy: (message: MessageView) => void;
  readonly onRetry: (id: string) => void;
};

const notices: Partial<Record<MessageView['kind'], { icon: IconName; text: string }>> = {
  deleted: { icon: 'ban', text: 'This message was deleted' },
  undecryptable: { icon: 'lock', text: 'This message could not be decrypted' },
  unsupported: { icon: 'info', text: 'This message needs a newer version of Parley' },
};

// Memoised: a conversation re-renders on every arrival, receipt and keystroke of the typing
// line, and most of its bubbles have not changed.
export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message, showSender, firstInRun, highlighted } = props;
  const [menuOpen, setMenuOpen] = useState(false);

  if (message.kind === 'system') {
    return (
      <li className="system-message" data-message-id={message.id}>
        <p>{message.text}</p>
      </li>
    );
  }

  const notice = notices[message.kind];
  const isText = message.kind === 'text';
  // Your message settles once the server has it; until then there is nothing to edit or delete.
  const settled = message.tick !== 'pending' && message.tick !== 'failed';
  const own = message.fromSelf;

  const openMenuOnContextMenu = (event: MouseEvent) => {
    // A link keeps the browser's own menu (open in a new tab, copy the address).
    if (!isText || (event.target as HTMLElement).closest('a')) return;
    event.preventDefault();
    setMenuOpen(true);
  };

  // Touch screens have no hover to reveal the menu button: a tap on the bubble opens the menu,
  // as long as the tap was not on a link or a button inside it.
  const openMenuOnTap = (event: MouseEvent) => {
    if (!isText || (event.target as HTMLElement).closest('a, button')) return;
    if (window.matchMedia('(hover: none)').matches) setMenuOpen(true);
  };

  const classes = [
    'message',
    own ? 'message--own' : 'message--theirs',
    firstInRun ? 'message--first' : '',
    highlighted ? 'message--highlighted' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <li className={classes} data-message-id={message.id}>
      <div className="message__row">
        {/* Tap and long-press mirror the menu button beside the bubble, the keyboard path. */}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: see above */}
        {/* biome-ignore lint/a11y/useKeyWithClickEvents: see above */}
        <div
          className={`bubble${notice ? ' bubble--notice' : ''}`}
          tabIndex={-1}
          onContextMenu={openMenuOnContextMenu}
          onClick={openMenuOnTap}
        >
          {showSender ? (
            <p className={`bubble__sender sender-colour-${nameHash(message.senderName) % 6}`}>
              {message.senderName}
            </p>
          ) : (
            <span className="visually-hidden">{own ? 'You' : message.senderName}: </span>
          )}
          {message.replyTo && isText && (
            <ReplyQuote quote={message.replyTo} onJump={props.onJumpTo} />
          )}
          <div className="bubble__text">
            {notice ? (
              <span className="bubble__notice">
                <Icon name={notice.icon} size={16} />
                {notice.text}
              </span>
            ) : (
              <MessageText text={message.text} />
            )}
            <span className="bubble__meta">
              {message.edited && isText && <span className="bubble__edited">edited</span>}
              <time
                dateTime={new Date(message.at).toISOString()}
                title={formatDateTime(message.at)}
              >
                {formatClock(message.at)}
              </time>
              {own && message.tick && <TickIcon tick={message.tick} />}
            </span>
          </div>
        </div>
        {isText && (
          <MessageMenu
            open={menuOpen}
            onOpenChange={setMenuOpen}
            align={own ? 'end' : 'start'}
            onReact={(emoji) => props.onReact(message.id, emoji)}
            onReply={() => props.onReply(message)}
            onCopy={() => props.onCopy(message)}
            onEdit={own && settled ? () => props.onEdit(message) : undefined}
            onDelete={own && settled ? () => props.onDelete(message) : undefined}
          />
        )}
      </div>
      {own && message.tick === 'failed' && (
        <p className="message__failed">
          <Icon name="alert" size={16} />
          Not sent.
          <button
            type="button"
            className="button button--text"
            onClick={() => props.onRetry(message.id)}
          >
            <Icon name="retry" size={16} />
            Retry
          </button>
        </p>
      )}
      {isText && (
        <ReactionChips
          reactions={message.reactions}
          onToggle={(emoji) => props.onReact(message.id, emoji)}
        />
      )}
    </li>
  );
});
