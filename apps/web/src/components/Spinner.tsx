// Shared. A small busy indicator. With a label it is a status that screen readers announce;
// without one it is decoration next to text that already says what is happening.

export type SpinnerProps = {
  /** Announced to screen readers; leave empty when nearby text already says it. */
  readonly label?: string;
  readonly size?: number;
};

export function Spinner({ label, size = 20 }: SpinnerProps) {
  const circle = (
    <svg
      className="spinner"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );

  if (!label) return circle;

  return (
    <span className="spinner-status" role="status">
      {circle}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
