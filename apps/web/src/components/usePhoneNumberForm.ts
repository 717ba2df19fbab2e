'use client';
// Browser-only. The state of a form that asks for one phone number (signing in, a new chat): what
// is typed, the light check before it is sent, and which message to show, the form's own or the
// server's answer.
import { type FormEvent, useState } from 'react';

import { isE164, normalizePhoneInput, phoneProblem } from './phone-input';

export type PhoneNumberForm = {
  readonly phone: string;
  readonly setPhone: (phone: string) => void;
  /** What to show under the field: the form's own problem first, else the server's error. */
  readonly message: string | undefined;
  readonly submit: (event: FormEvent) => void;
};

export function usePhoneNumberForm(options: {
  readonly initial?: string;
  readonly busy: boolean;
  readonly error?: string;
  /** Called with the number in E.164 form. */
  readonly onValid: (phone: string) => void;
}): PhoneNumberForm {
  const [phone, setPhone] = useState(options.initial ?? '');
  const [problem, setProblem] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (options.busy) return;

    const normalized = normalizePhoneInput(phone);
    if (!isE164(normalized)) {
      setProblem(phoneProblem);
      return;
    }

    setProblem(undefined);
    options.onValid(normalized);
  };

  return { phone, setPhone, message: problem ?? options.error, submit };
}
