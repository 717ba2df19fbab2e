'use client';

// Browser-only. The scrolling rules of a message list, kept apart from what it draws:
// - it opens at the first unread message, or at the bottom;
// - older messages load when the reader nears the top, and their arrival does not move what the
//   reader is looking at;
// - new messages keep the list at the bottom if it was there, and otherwise are counted for the
//   "new messages" button instead of pulling the reader away from what they are reading.

import { type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

import type { MessageView } from '../model/view-models';

/** Closer than this to the bottom counts as "at the bottom". */
const bottomSlack = 48;
/** Room left above the unread divider when the list opens at it, clear of the sticky day. */
const dividerMargin = 56;
/** Older messages are requested once the reader is this close to the top. */
const olderThreshold = 600;
/** A request for older messages that changed nothing may be repeated after this long. */
const olderRetryMs = 3000;
const highlightMs = 2000;

export type UnreadPosition = 'none' | 'visible' | 'above' | 'below';

type Options = {
  readonly scrollerRef: RefObject<HTMLElement | null>;
  readonly contentRef: RefObject<HTMLDivElement | null>;
  readonly messages: readonly MessageView[];
  readonly hasOlder: boolean;
  readonly firstUnreadId?: string;
  readonly onLoadOlder: () => void;
};

export type MessageListScroll = {
  /** The reader is more than a screen away from the newest message. */
  readonly farFromBottom: boolean;
  /** Messages from others that arrived while the reader was scrolled up. */
  readonly newBelow: number;
  /** Where the "new messages" divider is, seen from the viewport; 'above' when not loaded. */
  readonly unreadPosition: UnreadPosition;
  readonly highlightedId?: string;
  readonly onScroll: () => void;
  readonly scrollToBottom: () => void;
  readonly jumpToUnread: () => void;
  readonly jumpToMessage: (id: string) => void;
};

export function useMessageListScroll(options: Options): MessageListScroll {
  const { scrollerRef, contentRef, messages, hasOlder, firstUnreadId } = options;
  const [farFromBottom, setFarFromBottom] = useState(false);
  const [newBelow, setNewBelow] = useState(0);
  const [unreadPosition, setUnreadPosition] = useState<UnreadPosition>('none');
  const [highlightedId, setHighlightedId] = useState<string>();

  // What the last commit left behind, read by the next one. Refs, not state: changing them must
  // not render again.
  const memory = useRef({
    positioned: false,
    atBottom: true,
    firstId: undefined as string | undefined,
    lastId: undefined as string | undefined,
    /** Where the first message sat in the content, to restore the view after a prepend. */
    firstTop: 0,
    olderAskedFor: undefined as string | undefined,
    olderAskedAt: 0,
    /** The reader asked for the first unread message before it was loaded. */
    pendingUnreadJump: false,
  });

  const latest = useRef(options);
  latest.current = options;

  const requestOlder = useCallback(
    (force: boolean) => {
      const scroller = scrollerRef.current;
      const { messages: current, hasOlder: more, onLoadOlder } = latest.current;
      const m = memory.current;
      if (!scroller || !more) return;

      const nearTop = scroller.scrollTop < olderThreshold;
      if (!force && !nearTop && !m.pendingUnreadJump) return;

      const firstId = current[0]?.id;
      const askedRecently = Date.now() - m.olderAskedAt < olderRetryMs;
      if (m.olderAskedFor === firstId && askedRecently) return;

      m.olderAskedFor = firstId;
      m.olderAskedAt = Date.now();
      onLoadOlder();
    },
    [scrollerRef],
  );

  // Runs after every change of the messages, before the browser paints, so the reader never
  // sees the list jump and jump back.
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;

    const m = memory.current;
    const firstId = messages[0]?.id;
    const lastId = messages.at(-1)?.id;

    if (!m.positioned) {
      if (messages.length === 0) return;
      m.positioned = true;

      const divider = unreadDivider(scroller);
      if (divider) {
        scroller.scrollTop = offsetWithin(scroller, divider) - dividerMargin;
        m.atBottom = distanceFromBottom(scroller) < bottomSlack;
      } else {
        scroller.scrollTop = scroller.scrollHeight;
        m.atBottom = true;
      }
    } else {
      // Older messages arrived above: put the old first message back where the reader saw it.
      if (m.firstId && firstId !== m.firstId) {
        const oldFirst = messageElement(scroller, m.firstId);
        if (oldFirst) scroller.scrollTop += offsetWithin(scroller, oldFirst) - m.firstTop;
      }

      if (lastId !== m.lastId) {
        const since = messages.findIndex((message) => message.id === m.lastId);
        const arrived = since >= 0 ? messages.slice(since + 1) : [];
        const ownArrived = arrived.some((message) => message.fromSelf);

        if (m.atBottom || ownArrived) {
          scroller.scrollTop = scroller.scrollHeight;
          m.atBottom = true;
        } else {
          const fromOthers = arrived.filter((message) => !message.fromSelf).length;
          if (fromOthers > 0) setNewBelow((count) => count + fromOthers);
        }
      }

      if (m.pendingUnreadJump) {
        const divider = unreadDivider(scroller);
        if (divider) {
          m.pendingUnreadJump = false;
          scroller.scrollTop = offsetWithin(scroller, divider) - dividerMargin;
          divider.focus({ preventScroll: true });
        }
      }
    }

    m.firstId = firstId;
    m.lastId = lastId;
    const first = firstId ? messageElement(scroller, firstId) : undefined;
    m.firstTop = first ? offsetWithin(scroller, first) : 0;

    // A short conversation never scrolls, so nearing the top has to be checked here as well.
    requestOlder(scroller.scrollHeight <= scroller.clientHeight + olderThreshold);
  }, [messages, scrollerRef, requestOlder]);

  // Anything that changes the height while the reader is at the bottom (the typing line, a
  // reaction, the keyboard opening on a phone) keeps them at the bottom.
  useEffect(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content) return;

    const observer = new ResizeObserver(() => {
      const m = memory.current;
      if (m.atBottom && m.positioned) scroller.scrollTop = scroller.scrollHeight;
      const first = m.firstId ? messageElement(scroller, m.firstId) : undefined;
      m.firstTop = first ? offsetWithin(scroller, first) : 0;
    });
    observer.observe(scroller);
    observer.observe(content);

    return () => observer.disconnect();
  }, [scrollerRef, contentRef]);

  const unreadLoaded = firstUnreadId !== undefined && messages.some((x) => x.id === firstUnreadId);

  useEffect(() => {
    const scroller = scrollerRef.current;
    const divider = scroller && unreadLoaded ? unreadDivider(scroller) : undefined;
    if (!scroller || !divider) {
      // Not loaded yet means older than anything on screen; with nothing older to load, the
      // id is one this list cannot reach.
      setUnreadPosition(firstUnreadId !== undefined && hasOlder ? 'above' : 'none');
      return;
    }

    const observer = new IntersectionObserver(
      (entries) => {
        const entry = entries.at(-1);
        if (!entry) return;

        const rootTop = entry.rootBounds?.top ?? 0;
        const outside = entry.boundingClientRect.top < rootTop ? 'above' : 'below';
        setUnreadPosition(entry.isIntersecting ? 'visible' : outside);
      },
      { root: scroller },
    );
    observer.observe(divider);

    return () => observer.disconnect();
  }, [scrollerRef, unreadLoaded, firstUnreadId, hasOlder]);

  useEffect(() => {
    if (!highlightedId) return;
    const timer = setTimeout(() => setHighlightedId(undefined), highlightMs);

    return () => clearTimeout(timer);
  }, [highlightedId]);

  const onScroll = useCallback(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;

    const distance = distanceFromBottom(scroller);
    memory.current.atBottom = distance < bottomSlack;
    setFarFromBottom(distance > scroller.clientHeight);
    if (distance < bottomSlack) setNewBelow(0);
    requestOlder(false);
  }, [scrollerRef, requestOlder]);

  const scrollToBottom = useCallback(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;

    scroller.scrollTo({ top: scroller.scrollHeight, behavior: scrollBehavior() });
    memory.current.atBottom = true;
    setNewBelow(0);
  }, [scrollerRef]);

  const jumpToUnread = useCallback(() => {
    const scroller = scrollerRef.current;
    const divider = scroller ? unreadDivider(scroller) : undefined;
    if (divider) {
      divider.scrollIntoView({ block: 'start', behavior: scrollBehavior() });
      divider.focus({ preventScroll: true });
      return;
    }

    // Not loaded yet: keep loading older pages until it is (see the layout effect above).
    memory.current.pendingUnreadJump = true;
    requestOlder(true);
  }, [scrollerRef, requestOlder]);

  const jumpToMessage = useCallback(
    (id: string) => {
      const scroller = scrollerRef.current;
      const element = scroller ? messageElement(scroller, id) : undefined;
      if (!element) return;

      element.scrollIntoView({ block: 'center', behavior: scrollBehavior() });
      element.querySelector<HTMLElement>('.bubble')?.focus({ preventScroll: true });
      setHighlightedId(id);
    },
    [scrollerRef],
  );

  return {
    farFromBottom,
    newBelow,
    unreadPosition,
    highlightedId,
    onScroll,
    scrollToBottom,
    jumpToUnread,
    jumpToMessage,
  };
}

function distanceFromBottom(scroller: HTMLElement): number {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
}

/** Where an element sits within the scroller's content, whatever the scroll position. */
function offsetWithin(scroller: HTMLElement, element: HTMLElement): number {
  const top = element.getBoundingClientRect().top - scroller.getBoundingClientRect().top;

  return top + scroller.scrollTop;
}

function messageElement(scroller: HTMLElement, id: string): HTMLElement | undefined {
  return scroller.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`) ?? undefined;
}

function unreadDivider(scroller: HTMLElement): HTMLElement | undefined {
  return scroller.querySelector<HTMLElement>('[data-unread-divider]') ?? undefined;
}

function scrollBehavior(): ScrollBehavior {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}
