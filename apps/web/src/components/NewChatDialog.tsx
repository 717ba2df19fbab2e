'use client';

// Browser-only. Starts a chat with someone by their phone number. The parent looks the number up
// and opens the chat; this dialog collects the number and reports what went wrong.

import { useId } from 'react';

import { Dialog } from './Dialog';
import { FormError } from './FormError';
import { phoneHint } from './phone-input';
import { SubmitButton } from './SubmitButton';
import { usePhoneNumberForm } from './usePhoneNumberForm';

export type NewChatDialogProps = {
  readonly open: boolean;
  readonly busy: boolean;
  /** "Nobody uses Parley with that number" and the like, from the parent. */
  readonly error?: string;
  /** Called with the number in E.164 form. */
  readonly onStart: (phone: string) => void;
  /** Offers starting a group instead; the parent opens its dialog. */
  readonly onNewGroup?: () => void;
  readonly onClose: () => void;
};

export function NewChatDialog(props: NewChatDialogProps) {
  const { open, busy, error, onStart, onNewGroup, onClose } = props;
  return (
    <Dialog open={open} title="New chat" onClose={onClose}>
      {onNewGroup && (
        <button type="button" className="button" onClick={onNewGroup}>
          New group
        </button>
      )}
      {/* Mounted only while open, so every opening starts with an empty field. */}
      {open && <NewChatForm busy={busy} error={error} onStart={onStart} />}
    </Dialog>
  );
}

type NewChatFormProps = Pick<NewChatDialogProps, 'busy' | 'error' | 'onStart'>;

function NewChatForm({ busy, error, onStart }: NewChatFormProps) {
  const { phone, setPhone, message, submit } = usePhoneNumberForm({
    busy,
    ...(error && { error }),
    onValid: onStart,
  });
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();

  return (
    <form className="form" onSubmit={submit} noValidate>
      <p className="form__lead">
        Enter the phone number of someone who uses Parley. Your chat is end-to-end encrypted from
        the first message.
      </p>
      <div className="field">
        <label htmlFor={fieldId}>Phone number</label>
        <input
          id={fieldId}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          enterKeyHint="go"
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          aria-describedby={message ? `${hintId} ${errorId}` : hintId}
          aria-invalid={message ? true : undefined}
          data-autofocus
        />
        <p className="field__hint" id={hintId}>
          {phoneHint}
        </p>
      </div>
      <FormError id={errorId} message={message} />
      <SubmitButton busy={busy} label="Start chat" busyLabel="Looking up…" />
    </form>
  );
}
