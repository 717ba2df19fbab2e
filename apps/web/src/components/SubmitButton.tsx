// Shared. A form's main button, with a busy state that keeps focus where it is: aria-disabled
// rather than disabled, because a disabled button drops focus to the page body and a keyboard
// user would lose their place every time they submit.

import { Spinner } from './Spinner';

export type SubmitButtonProps = {
  readonly busy: boolean;
  readonly label: string;
  /** Shown next to the spinner while busy: "Sending code…". */
  readonly busyLabel: string;
  readonly wide?: boolean;
};

export function SubmitButton({ busy, label, busyLabel, wide = true }: SubmitButtonProps) {
  return (
    <button
      type="submit"
      className={`button button--primary${wide ? ' button--wide' : ''}`}
      aria-disabled={busy}
    >
      {busy ? (
        <>
          <Spinner size={18} />
          <span>{busyLabel}</span>
        </>
      ) : (
        label
      )}
    </button>
  );
}
