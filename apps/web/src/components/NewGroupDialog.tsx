'use client';

// Browser-only. Starts a group: its name and the phone numbers of the people in it. The parent
// looks the numbers up and creates the group; the name travels encrypted, inside the group.

import { type FormEvent, useId, useState } from 'react';

import { Dialog } from './Dialog';
import { FormError } from './FormError';
import { isE164, normalizePhoneInput } from './phone-input';
import { SubmitButton } from './SubmitButton';

export type NewGroup = { readonly name: string; readonly phoneNumbers: readonly string[] };

export type NewGroupDialogProps = {
  readonly open: boolean;
  readonly busy: boolean;
  readonly error?: string;
  /** Called with a trimmed name and at least one number, each in E.164 form. */
  readonly onCreate: (group: NewGroup) => void;
  readonly onClose: () => void;
};

export function NewGroupDialog({ open, busy, error, onCreate, onClose }: NewGroupDialogProps) {
  return (
    <Dialog open={open} title="New group" onClose={onClose}>
      {open && <NewGroupForm busy={busy} error={error} onCreate={onCreate} />}
    </Dialog>
  );
}

type NewGroupFormProps = Pick<NewGroupDialogProps, 'busy' | 'error' | 'onCreate'>;

function NewGroupForm({ busy, error, onCreate }: NewGroupFormProps) {
  const [name, setName] = useState('');
  const [numbers, setNumbers] = useState('');
  const [problem, setProblem] = useState<string>();
  const nameId = useId();
  const numbersId = useId();
  const hintId = useId();
  const errorId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;

    const phoneNumbers = numbers
      .split(/[\n,;]+/)
      .map(normalizePhoneInput)
      .filter((phone) => phone !== '');
    const wrong = phoneNumbers.find((phone) => !isE164(phone));
    if (!name.trim()) {
      setProblem('Give the group a name.');
      return;
    }
    if (phoneNumbers.length === 0 || wrong) {
      setProblem(
        wrong
          ? `“${wrong}” is not a full number with its country code.`
          : 'Add at least one phone number.',
      );
      return;
    }

    setProblem(undefined);
    onCreate({ name: name.trim(), phoneNumbers: [...new Set(phoneNumbers)] });
  };

  const message = problem ?? error;

  return (
    <form className="form" onSubmit={submit} noValidate>
      <p className="form__lead">
        Only the members see the group’s name and messages: both are end-to-end encrypted.
      </p>
      <div className="field">
        <label htmlFor={nameId}>Group name</label>
        <input
          id={nameId}
          type="text"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          aria-describedby={message ? errorId : undefined}
          data-autofocus
        />
      </div>
      <div className="field">
        <label htmlFor={numbersId}>Members’ phone numbers</label>
        <textarea
          id={numbersId}
          rows={4}
          inputMode="tel"
          value={numbers}
          onChange={(event) => setNumbers(event.target.value)}
          aria-describedby={message ? `${hintId} ${errorId}` : hintId}
        />
        <p className="field__hint" id={hintId}>
          One per line, each with its country code, e.g. +44 7700 900123.
        </p>
      </div>
      <FormError id={errorId} message={message} />
      <SubmitButton busy={busy} label="Create group" busyLabel="Creating…" />
    </form>
  );
}
