'use client';

// Browser-only. The sidebar's chat list: a header with New chat and Settings, a search field that
// filters chats by name and lists the messages a local search finds, and the chats themselves.
// Arrow keys move between rows and Tab leaves the list, so a long list is one tab stop.

import { type KeyboardEvent, useId, useRef, useState } from 'react';

import type { ChatSummary, MessageSearchHit } from '../model/view-models';
import { ChatListRow } from './ChatListRow';
import { EmptyState } from './EmptyState';
import { Icon } from './Icon';
import { foldForSearch } from './search-text';
import { SearchHitRow, searchHitKey } from './SearchHitRow';
import { Spinner } from './Spinner';

export type ChatListProps = {
  /** Newest activity first, as the engine sorts them. */
  readonly chats: readonly ChatSummary[];
  readonly selectedId?: string;
  /** What the local message search found for the current query. */
  readonly searchResults?: readonly MessageSearchHit[];
  /** The chats are still loading from this device's storage. */
  readonly loading?: boolean;
  readonly onOpen: (id: string) => void;
  /** Opens the chat at the message found; when absent, `onOpen(conversationId)` is called. */
  readonly onOpenSearchHit?: (hit: MessageSearchHit) => void;
  /** Called on every change of the search field, "" when it is cleared. */
  readonly onSearch: (query: string) => void;
  readonly onNewChat: () => void;
  readonly onOpenSettings: () => void;
};

export function ChatList(props: ChatListProps) {
  const { chats, selectedId, searchResults = [], loading = false } = props;
  const [query, setQuery] = useState('');
  const [focusKey, setFocusKey] = useState<string>();
  const listRef = useRef<HTMLDivElement>(null);
  const searchId = useId();
  const now = Date.now();

  const searching = query.trim() !== '';
  const needle = foldForSearch(query.trim());
  const shownChats = searching
    ? chats.filter((chat) => foldForSearch(chat.title).includes(needle))
    : chats;
  const hits = searching ? searchResults : [];

  const keys = [...shownChats.map((chat) => chat.id), ...hits.map(searchHitKey)];
  const tabbableKey =
    (focusKey && keys.includes(focusKey) && focusKey) ||
    (selectedId && keys.includes(selectedId) && selectedId) ||
    keys[0];

  const changeQuery = (value: string) => {
    setQuery(value);
    props.onSearch(value);
  };

  const openHit = (hit: MessageSearchHit) =>
    props.onOpenSearchHit ? props.onOpenSearchHit(hit) : props.onOpen(hit.conversationId);

  const searchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && query) {
      event.preventDefault();
      changeQuery('');
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      rovingItems(listRef.current)[0]?.focus();
    }
  };

  const listKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = rovingItems(listRef.current);
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (index < 0) return;

    const target = nextIndex(event.key, index, items.length);
    if (target === undefined) return;

    event.preventDefault();
    items[target]?.focus();
  };

  return (
    <div className="chat-list">
      <header className="pane-header">
        <h1 className="pane-header__title">Chats</h1>
        <div className="pane-header__actions">
          <button
            type="button"
            className="icon-button"
            aria-label="New chat"
            title="New chat"
            onClick={props.onNewChat}
          >
            <Icon name="newChat" />
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label="Settings"
            title="Settings"
            onClick={props.onOpenSettings}
          >
            <Icon name="settings" />
          </button>
        </div>
      </header>

      <search className="chat-list__search">
        <label className="visually-hidden" htmlFor={searchId}>
          Search chats and messages
        </label>
        <Icon name="search" size={20} className="chat-list__search-icon" />
        <input
          id={searchId}
          type="search"
          placeholder="Search"
          autoComplete="off"
          value={query}
          onChange={(event) => changeQuery(event.target.value)}
          onKeyDown={searchKeyDown}
        />
      </search>

      {/* Kept in the page while empty: a live region must exist before its text changes. */}
      <p className="visually-hidden" role="status">
        {searching ? resultsSummary(shownChats.length, hits.length) : ''}
      </p>

      {/* biome-ignore lint/a11y/noStaticElementInteractions: rows' arrow keys bubble here */}
      <div className="chat-list__scroll" ref={listRef} onKeyDown={listKeyDown}>
        {loading && chats.length === 0 && (
          <div className="chat-list__loading">
            <Spinner label="Loading chats" />
          </div>
        )}

        {searching && <h2 className="list-heading">Chats</h2>}
        {shownChats.length > 0 && (
          <ul className="chat-list__rows" aria-label={searching ? 'Matching chats' : 'Chats'}>
            {shownChats.map((chat) => (
              <ChatListRow
                key={chat.id}
                chat={chat}
                selected={chat.id === selectedId}
                tabbable={chat.id === tabbableKey}
                now={now}
                onOpen={props.onOpen}
                onFocus={setFocusKey}
              />
            ))}
          </ul>
        )}
        {searching && shownChats.length === 0 && (
          <p className="list-note">No chat names match “{query.trim()}”.</p>
        )}

        {searching && (
          <>
            <h2 className="list-heading">Messages</h2>
            {hits.length > 0 ? (
              <ul className="chat-list__rows" aria-label="Matching messages">
                {hits.map((hit) => (
                  <SearchHitRow
                    key={searchHitKey(hit)}
                    hit={hit}
                    query={query}
                    tabbable={searchHitKey(hit) === tabbableKey}
                    now={now}
                    onOpen={openHit}
                    onFocus={setFocusKey}
                  />
                ))}
              </ul>
            ) : (
              <p className="list-note">No messages on this device match.</p>
            )}
          </>
        )}

        {!searching && !loading && chats.length === 0 && (
          <EmptyState
            title="No chats yet"
            icon="newChat"
            description={<p>Start one with the phone number of someone who uses Parley.</p>}
            action={
              <button type="button" className="button button--primary" onClick={props.onNewChat}>
                New chat
              </button>
            }
          />
        )}
      </div>
    </div>
  );
}

function rovingItems(container: HTMLElement | null): HTMLElement[] {
  return container ? Array.from(container.querySelectorAll('[data-roving-item]')) : [];
}

function nextIndex(key: string, index: number, length: number): number | undefined {
  switch (key) {
    case 'ArrowDown':
      return Math.min(index + 1, length - 1);
    case 'ArrowUp':
      return Math.max(index - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    default:
      return undefined;
  }
}

function resultsSummary(chats: number, messages: number): string {
  const chatsText = chats === 1 ? '1 chat' : `${chats} chats`;
  const messagesText = messages === 1 ? '1 message' : `${messages} messages`;

  return `${chatsText} and ${messagesText} found`;
}
