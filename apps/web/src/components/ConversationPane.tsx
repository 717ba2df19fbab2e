'use client';

// Browser-only. An open conversation: header, history and composer. The pane keeps the state
// that belongs to the screen rather than to the data (the draft, what a reply answers, which
// message is being edited) and hands the result back through onSend, so the data layer never
// hears about half-finished input.

import { useCallback, useEffect, useRef, useState } from 'react';

import type { ConversationView, MessageView } from '../model/view-models';
import { ChatHeader } from './ChatHeader';
import { Composer, type ComposerTarget } from './Composer';
import { ConfirmDialog } from './ConfirmDialog';
import { MessageList } from './MessageList';

/** What a sent text is: a reply to a message, or the new text of one of yours. */
export type SendOptions = {
  readonly replyTo?: string;
  readonly edit?: string;
};

export type ConversationPaneProps = {
  readonly view: ConversationView;
  /** A new message, a reply (`replyTo`) or an edit (`edit`): the text is already trimmed. */
  readonly onSend: (text: string, options: SendOptions) => void;
  /** Adds your reaction, or takes it back when it is already yours (ReactionSummary.mine). */
  readonly onReact: (id: string, emoji: string) => void;
  /** Deletes one of your messages for everyone; the pane has already asked for confirmation. */
  readonly onDelete: (id: string) => void;
  /** Asked when the reader nears the top and `view.hasOlder` is set; repeated only as needed. */
  readonly onLoadOlder: () => void;
  readonly onOpenContact: () => void;
  /** Back to the chat list; the button shows only on narrow screens. */
  readonly onBack: () => void;
  /** True on typing (repeated every 3 s while it goes on), false after 3 s idle or on send. */
  readonly onTyping: (isTyping: boolean) => void;
  /** Sends a failed message again. */
  readonly onRetry: (id: string) => void;
};

const deleteWarning =
  'The message will be replaced by “This message was deleted” for everyone in this chat.';

export function ConversationPane(props: ConversationPaneProps) {
  // A new conversation starts fresh: draft, reply target and scroll position belong to one.
  return <OpenConversation key={props.view.header.id} {...props} />;
}

function OpenConversation(props: ConversationPaneProps) {
  const { view } = props;
  const [draft, setDraft] = useState('');
  const [target, setTarget] = useState<ComposerTarget>();
  const [confirmDelete, setConfirmDelete] = useState<MessageView>();
  const [notice, setNotice] = useState('');
  const fieldRef = useRef<HTMLTextAreaElement>(null);
  // The draft from before an edit started, given back when the edit ends.
  const draftBeforeEdit = useRef('');

  // Callbacks handed to every message are stable, so unchanged bubbles skip re-rendering.
  const latest = useRef(props);
  latest.current = props;

  const focusComposer = useCallback(() => fieldRef.current?.focus(), []);

  // Read by the stable callbacks below, which must not close over a stale draft or target.
  const current = useRef({ draft, target });
  current.current = { draft, target };

  const startReply = useCallback(
    (message: MessageView) => {
      if (current.current.target?.kind === 'edit') setDraft(draftBeforeEdit.current);
      setTarget({ kind: 'reply', message });
      focusComposer();
    },
    [focusComposer],
  );

  const startEdit = useCallback(
    (message: MessageView) => {
      if (current.current.target?.kind !== 'edit') draftBeforeEdit.current = current.current.draft;
      setTarget({ kind: 'edit', message });
      setDraft(message.text);
      focusComposer();
    },
    [focusComposer],
  );

  const cancelTarget = () => {
    if (target?.kind === 'edit') setDraft(draftBeforeEdit.current);
    setTarget(undefined);
    focusComposer();
  };

  const send = () => {
    const text = draft.trim();
    if (!text) return;

    const options: SendOptions =
      target?.kind === 'edit'
        ? { edit: target.message.id }
        : target?.kind === 'reply'
          ? { replyTo: target.message.id }
          : {};
    props.onSend(text, options);

    setDraft(target?.kind === 'edit' ? draftBeforeEdit.current : '');
    setTarget(undefined);
  };

  const react = useCallback((id: string, emoji: string) => latest.current.onReact(id, emoji), []);
  const retry = useCallback((id: string) => latest.current.onRetry(id), []);
  const loadOlder = useCallback(() => latest.current.onLoadOlder(), []);
  const askDelete = useCallback((message: MessageView) => setConfirmDelete(message), []);

  const copy = useCallback((message: MessageView) => {
    // The clipboard API exists only in secure contexts (https, localhost).
    const written = navigator.clipboard?.writeText(message.text) ?? Promise.reject();
    written.then(
      () => setNotice('Message copied'),
      () => setNotice('The message could not be copied'),
    );
  }, []);

  // Cleared after a moment, so that copying twice is announced twice.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(''), 3000);

    return () => clearTimeout(timer);
  }, [notice]);

  const closeDelete = (confirmed: boolean) => {
    if (confirmed && confirmDelete) props.onDelete(confirmDelete.id);
    setConfirmDelete(undefined);
  };

  return (
    <div className="conversation">
      <ChatHeader header={view.header} onBack={props.onBack} onOpenContact={props.onOpenContact} />
      <MessageList
        messages={view.messages}
        isGroup={view.header.isGroup}
        hasOlder={view.hasOlder}
        firstUnreadId={view.firstUnreadId}
        typing={view.typing}
        onLoadOlder={loadOlder}
        onReact={react}
        onReply={startReply}
        onEdit={startEdit}
        onDelete={askDelete}
        onCopy={copy}
        onRetry={retry}
      />
      <Composer
        value={draft}
        onChange={setDraft}
        onSubmit={send}
        target={target}
        onCancelTarget={cancelTarget}
        onTyping={props.onTyping}
        textareaRef={fieldRef}
      />
      <p className="visually-hidden" role="status">
        {notice}
      </p>
      <ConfirmDialog
        open={confirmDelete !== undefined}
        title="Delete for everyone?"
        message={deleteWarning}
        confirmLabel="Delete for everyone"
        onConfirm={() => closeDelete(true)}
        onCancel={() => closeDelete(false)}
        returnFocusTo={fieldRef}
      />
    </div>
  );
}
