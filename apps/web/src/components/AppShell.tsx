'use client';

// Browser-only. The frame of the signed-in app: the chat list beside the open conversation on a
// desktop, one of the two at a time on a phone. Which pane a phone shows follows from whether a
// conversation is open, so the shell needs no state of its own.

import type { MouseEvent, ReactNode } from 'react';

import { EmptyState } from './EmptyState';

export type AppShellProps = {
  /** The chat list, or the settings when they are open. */
  readonly sidebar: ReactNode;
  /** What the sidebar landmark is called: "Chats" unless told ("Settings"). */
  readonly sidebarLabel?: string;
  /** The open conversation. When absent, a desktop shows `emptyState` and a phone the sidebar. */
  readonly conversation?: ReactNode;
  /** Replaces the default "pick a chat" message in the main pane. */
  readonly emptyState?: ReactNode;
};

export const mainPaneId = 'parley-main';

export function AppShell({
  sidebar,
  sidebarLabel = 'Chats',
  conversation,
  emptyState,
}: AppShellProps) {
  const hasConversation = conversation !== undefined && conversation !== null;

  return (
    <div className={`app-shell${hasConversation ? ' app-shell--conversation' : ''}`}>
      {hasConversation && (
        <a className="skip-link" href={`#${mainPaneId}`} onClick={skipToMain}>
          Skip to conversation
        </a>
      )}
      <nav className="app-shell__sidebar" aria-label={sidebarLabel}>
        {sidebar}
      </nav>
      <main className="app-shell__main" id={mainPaneId} tabIndex={-1}>
        {hasConversation
          ? conversation
          : (emptyState ?? (
              <EmptyState
                title="Parley for the web"
                icon="lock"
                description={
                  <>
                    <p>Pick a chat on the left, or start a new one.</p>
                    <p>
                      Your messages are end-to-end encrypted: only the people in a chat can read
                      them.
                    </p>
                  </>
                }
              />
            ))}
      </main>
    </div>
  );
}

// Moves focus without touching the URL: a fragment would add a history entry, and the app keeps
// its own place in the address (the open chat).
function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById(mainPaneId)?.focus();
}
