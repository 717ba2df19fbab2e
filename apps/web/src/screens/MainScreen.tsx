'use client';
// Browser-only. The signed-in app: the chat list, the open conversation and the dialogs around
// them, wired to the engine. Which conversation is open lives in the URL (`?chat=`), so a
// notification's click, the back button and a reload all land in the same place.
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';

import { AppShell } from '../components/AppShell';
import { ChatList } from '../components/ChatList';
import { ConversationPane } from '../components/ConversationPane';
import { NewChatDialog } from '../components/NewChatDialog';
import { type NewGroup, NewGroupDialog } from '../components/NewGroupDialog';
import { deleteForEveryone, sendText, toggleReaction } from '../engine/compose.ts';
import { ApiError } from '../engine/graphql-client.ts';
import { NotOnParleyError, startChat, startGroup } from '../engine/group-membership.ts';
import type { ParleyEngine } from '../engine/parley-engine.ts';
import { loadChatList, loadConversation, searchMessages } from '../engine/view-store.ts';
import type { MessageSearchHit } from '../model/view-models.ts';
import { Spinner } from '../components/Spinner';
import { useEngineData } from './use-engine-data.ts';
import { useLocationState, type Place } from './use-location-state.ts';

const pageSize = 50;

// Loaded when first opened: the chat list and the conversation come first, so that what a user
// opens the app for is on screen before the code of screens they may not visit today.
const ContactScreen = lazy(() =>
  import('./ContactScreen').then((module) => ({ default: module.ContactScreen })),
);
const SettingsScreen = lazy(() =>
  import('./SettingsScreen').then((module) => ({ default: module.SettingsScreen })),
);

export type MainScreenProps = { readonly engine: ParleyEngine };

export function MainScreen({ engine }: MainScreenProps) {
  const [place, go] = useLocationState();
  const [query, setQuery] = useState('');
  const [limit, setLimit] = useState(pageSize);
  const [newChat, setNewChat] = useState<{ busy: boolean; error?: string }>();
  const [newGroup, setNewGroup] = useState<{ busy: boolean; error?: string }>();
  const [contactOpen, setContactOpen] = useState(false);

  const chats = useEngineData(engine, loadChatList, []);
  const hits = useEngineData(engine, (e) => searchMessages(e, query), [query]);
  const chatId = place.chat;
  const loaded = useEngineData(
    engine,
    async (e) => (chatId ? loadConversation(e, chatId, limit) : undefined),
    [chatId, limit],
  );
  // Until the newly opened chat has loaded, the last one's view is what is at hand: not shown.
  const current = loaded?.header.id === chatId ? loaded : undefined;
  // The "new messages" line stays where it was when the chat opened, as the reader reads on:
  // marking them read must not pull the history out from under the pointer.
  const unreadLine = useRef<{ chatId: string; id: string | undefined }>(undefined);
  if (current && chatId && unreadLine.current?.chatId !== chatId) {
    unreadLine.current = { chatId, id: current.firstUnreadId };
  }
  const view = current && { ...current, firstUnreadId: unreadLine.current?.id };

  // For the benchmark (bench/web): when the chat list first shows what this device holds.
  const listed = chats !== undefined;
  useEffect(() => {
    if (listed) performance.mark('parley:chat-list-shown');
  }, [listed]);

  // Messages on screen count as read: now, and whenever more arrive while it stays open.
  useEffect(() => {
    engine.openConversationId = chatId;
    if (chatId) void engine.markRead(chatId);
    return () => {
      engine.openConversationId = undefined;
    };
  }, [engine, chatId]);
  const newest = view?.messages.at(-1)?.id;
  useEffect(() => {
    if (chatId && newest) void engine.markRead(chatId);
  }, [engine, chatId, newest]);

  const open = useCallback(
    (place: Place) => {
      setLimit(pageSize);
      setContactOpen(false);
      go(place);
    },
    [go],
  );

  const startChatWith = async (phone: string) => {
    setNewChat({ busy: true });
    try {
      const id = await startChat(engine, phone);
      setNewChat(undefined);
      open({ chat: id });
    } catch (error) {
      setNewChat({ busy: false, error: describeStartError(error) });
    }
  };

  const startGroupWith = async ({ name, phoneNumbers }: NewGroup) => {
    setNewGroup({ busy: true });
    try {
      const id = await startGroup(engine, name, phoneNumbers);
      setNewGroup(undefined);
      open({ chat: id });
    } catch (error) {
      setNewGroup({ busy: false, error: describeStartError(error) });
    }
  };

  if (place.view === 'settings') {
    return (
      <AppShell
        sidebarLabel="Settings"
        sidebar={
          <Suspense fallback={<Spinner label="Loading settings" />}>
            <SettingsScreen engine={engine} onClose={() => open({})} />
          </Suspense>
        }
      />
    );
  }

  const conversation = chatId && view && (
    <ConversationPane
      view={view}
      onSend={(text, options) => void sendText(engine, chatId, text, options)}
      onReact={(id, emoji) => void toggleReaction(engine, chatId, id, emoji)}
      onDelete={(id) => void deleteForEveryone(engine, chatId, id)}
      onLoadOlder={() => setLimit((current) => current + pageSize)}
      onOpenContact={() => setContactOpen(true)}
      onBack={() => open({})}
      onTyping={(typing) => void engine.setTyping(chatId, typing)}
      onRetry={(id) => void engine.outbox.retry(id)}
    />
  );

  return (
    <>
      <AppShell
        sidebar={
          <ChatList
            chats={chats ?? []}
            loading={chats === undefined}
            {...(chatId && { selectedId: chatId })}
            {...(query && hits && { searchResults: hits })}
            onOpen={(id) => open({ chat: id })}
            onOpenSearchHit={(hit: MessageSearchHit) => open({ chat: hit.conversationId })}
            onSearch={setQuery}
            onNewChat={() => setNewChat({ busy: false })}
            onOpenSettings={() => open({ view: 'settings' })}
          />
        }
        {...(conversation && { conversation })}
      />
      <NewChatDialog
        open={newChat !== undefined}
        busy={newChat?.busy ?? false}
        {...(newChat?.error && { error: newChat.error })}
        onStart={(phone) => void startChatWith(phone)}
        onNewGroup={() => {
          setNewChat(undefined);
          setNewGroup({ busy: false });
        }}
        onClose={() => setNewChat(undefined)}
      />
      <NewGroupDialog
        open={newGroup !== undefined}
        busy={newGroup?.busy ?? false}
        {...(newGroup?.error && { error: newGroup.error })}
        onCreate={(group) => void startGroupWith(group)}
        onClose={() => setNewGroup(undefined)}
      />
      {chatId && contactOpen && (
        <Suspense fallback={null}>
          <ContactScreen
            engine={engine}
            conversationId={chatId}
            onClose={() => setContactOpen(false)}
          />
        </Suspense>
      )}
    </>
  );
}

function describeStartError(error: unknown): string {
  if (error instanceof NotOnParleyError) {
    return `Nobody uses Parley with ${error.phoneNumber} yet.`;
  }
  if (error instanceof ApiError) {
    if (error.code === 'NETWORK') return 'No connection. A new chat needs the network.';
    if (error.code === 'INVALID_PHONE_NUMBER') {
      return 'That does not look like a phone number. Include the country code, like +44.';
    }
    return error.message;
  }
  return 'The chat could not be started. Please try again.';
}
