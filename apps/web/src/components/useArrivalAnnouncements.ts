'use client';

// Browser-only. What a screen reader should hear when messages arrive in the open conversation:
// "Ana: hello". New is decided by comparing ids between renders: only messages after the
// previous newest one count, so loading older history or the first render of a conversation
// says nothing, and your own messages are never read back to you.

import { useLayoutEffect, useRef, useState } from 'react';

import type { MessageView } from '../model/view-models';

/** How many announcements stay in the live region; older ones have been heard already. */
const kept = 3;
/** Long messages are cut: the reader can go to the message for the rest. */
const maxLength = 160;

export type Announcement = { readonly key: number; readonly text: string };

export function useArrivalAnnouncements(messages: readonly MessageView[]): Announcement[] {
  const [announcements, setAnnouncements] = useState<Announcement[]>([]);
  const lastIdRef = useRef<string | undefined>(undefined);
  const counterRef = useRef(0);

  useLayoutEffect(() => {
    const previousLastId = lastIdRef.current;
    lastIdRef.current = messages.at(-1)?.id;
    if (previousLastId === undefined) return;

    const since = messages.findIndex((message) => message.id === previousLastId);
    if (since < 0) return;

    const texts = messages
      .slice(since + 1)
      .filter((message) => !message.fromSelf)
      .map(describe)
      .filter((text): text is string => text !== undefined);
    if (texts.length === 0) return;

    const added = texts.map((text) => ({ key: counterRef.current++, text }));
    setAnnouncements((current) => [...current, ...added].slice(-kept));
  }, [messages]);

  return announcements;
}

function describe(message: MessageView): string | undefined {
  switch (message.kind) {
    case 'text':
      return `${message.senderName}: ${truncate(message.text)}`;
    case 'undecryptable':
      return `${message.senderName}: a message that could not be decrypted`;
    case 'unsupported':
      return `${message.senderName}: a message this version of Parley cannot show`;
    case 'system':
      return message.text;
    case 'deleted':
      return undefined;
  }
}

function truncate(text: string): string {
  const chars = Array.from(text);

  return chars.length > maxLength ? `${chars.slice(0, maxLength).join('')}…` : text;
}
