'use client';

// Browser-only. Turns keystrokes into typing signals. The server forgets a typing signal after a
// few seconds by itself, so while the user keeps typing the signal is repeated, at most once per
// interval, and it stops after the same interval without a keystroke, on send, and on leaving
// the conversation.

import { useCallback, useEffect, useRef } from 'react';

const intervalMs = 3000;

export type TypingSignal = {
  /** Call on every change of the draft. */
  readonly keystroke: () => void;
  /** Call when the draft is sent or emptied. */
  readonly stop: () => void;
};

export function useTypingSignal(onTyping: (isTyping: boolean) => void): TypingSignal {
  const onTypingRef = useRef(onTyping);
  onTypingRef.current = onTyping;

  const state = useRef({
    typing: false,
    lastSentAt: 0,
    idleTimer: undefined as ReturnType<typeof setTimeout> | undefined,
  });

  const stop = useCallback(() => {
    const s = state.current;
    clearTimeout(s.idleTimer);
    s.idleTimer = undefined;
    if (!s.typing) return;

    s.typing = false;
    onTypingRef.current(false);
  }, []);

  const keystroke = useCallback(() => {
    const s = state.current;
    const now = Date.now();

    if (!s.typing || now - s.lastSentAt >= intervalMs) {
      s.typing = true;
      s.lastSentAt = now;
      onTypingRef.current(true);
    }

    clearTimeout(s.idleTimer);
    s.idleTimer = setTimeout(stop, intervalMs);
  }, [stop]);

  useEffect(() => stop, [stop]);

  return { keystroke, stop };
}
