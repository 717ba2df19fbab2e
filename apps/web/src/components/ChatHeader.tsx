// Browser-only. The bar above an open conversation: back to the list (phones only), who the
// chat is with and their status. The whole name area opens contact or group info, as in the
// messengers people already know; the button sits inside the heading so the heading survives.

import type { ConversationHeader } from '../model/view-models';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

export type ChatHeaderProps = {
  readonly header: ConversationHeader;
  readonly onBack: () => void;
  readonly onOpenContact: () => void;
};

export function ChatHeader({ header, onBack, onOpenContact }: ChatHeaderProps) {
  const infoLabel = header.isGroup ? 'group info' : 'contact info';

  return (
    <header className="chat-header">
      <button
        type="button"
        className="icon-button chat-header__back"
        aria-label="Back to chats"
        onClick={onBack}
      >
        <Icon name="back" />
      </button>
      <div className="chat-header__who">
        <Avatar name={header.title} url={header.avatarUrl} />
        <div className="chat-header__text">
          <h2 className="chat-header__title">
            <button
              type="button"
              className="chat-header__open"
              aria-label={`${header.title}, ${infoLabel}`}
              onClick={onOpenContact}
            >
              {header.title}
            </button>
          </h2>
          {header.status && <p className="chat-header__status">{header.status}</p>}
        </div>
        <Icon name="info" size={20} className="chat-header__info-icon" />
      </div>
    </header>
  );
}
