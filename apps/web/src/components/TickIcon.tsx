// Shared. The state of one of your own messages, drawn small and always named: a screen reader
// hears "Read", not a picture of two checks.

import type { Tick } from '../model/view-models';

/** What each state is called, wherever it is read aloud or shown as text. */
export const tickLabels: Record<Tick, string> = {
  pending: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not sent',
};

export type TickIconProps = {
  readonly tick: Tick;
  readonly className?: string;
};

export function TickIcon({ tick, className }: TickIconProps) {
  const classes = `tick tick--${tick}${className ? ` ${className}` : ''}`;

  return (
    <svg
      className={classes}
      role="img"
      aria-label={tickLabels[tick]}
      width="18"
      height="14"
      viewBox="0 0 18 14"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      focusable="false"
    >
      <title>{tickLabels[tick]}</title>
      {tick === 'pending' && (
        <>
          <circle cx="9" cy="7" r="5.2" />
          <path d="M9 4.2V7l1.8 1.3" />
        </>
      )}
      {tick === 'sent' && <path d="M4 7.5l3 3 7-8" />}
      {(tick === 'delivered' || tick === 'read') && (
        <>
          <path d="M1 7.5l3 3 7-8" />
          <path d="M8.2 10.2l.3.3 7-8" />
        </>
      )}
      {tick === 'failed' && (
        <>
          <circle cx="9" cy="7" r="5.6" />
          <path d="M9 4v3.4" />
          <path d="M9 9.9h.01" />
        </>
      )}
    </svg>
  );
}
