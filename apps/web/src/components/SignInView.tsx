'use client';

// Browser-only. Signing in: a phone number, the one-time code sent to it, then the name and
// about line others see. The parent owns the step and talks to the server; this view collects
// input, checks its shape and says what went wrong.

import { type FormEvent, useId, useState } from 'react';

import { Icon } from './Icon';
import { phoneHint } from './phone-input';
import { FormError } from './FormError';
import { SubmitButton } from './SubmitButton';
import { usePhoneNumberForm } from './usePhoneNumberForm';
import { useProfileForm } from './useProfileForm';

export type SignInStep = 'phone' | 'code' | 'profile';

export type ProfileDraft = { readonly displayName: string; readonly about: string };

export type SignInViewProps = {
  readonly step: SignInStep;
  /** A request is in flight: the submit button shows a spinner and ignores presses. */
  readonly busy: boolean;
  /** The server's answer to the last attempt, said at once to screen readers. */
  readonly error?: string;
  /** The number the code went to, shown on the code step and used by "Send a new code". */
  readonly phoneNumber?: string;
  /** Prefills the profile step, e.g. when an existing account signs in on a new device. */
  readonly profile?: ProfileDraft;
  /** Called with the number in E.164 form. */
  readonly onRequestCode: (phone: string) => void;
  /** Called with exactly six digits. */
  readonly onVerify: (code: string) => void;
  readonly onSaveProfile: (profile: ProfileDraft) => void;
  /** Goes back one step (from the code to the number). */
  readonly onBack: () => void;
};

const stepNumber: Record<SignInStep, number> = { phone: 1, code: 2, profile: 3 };

export function SignInView(props: SignInViewProps) {
  const { step } = props;

  return (
    <main className="sign-in">
      <p className="sign-in__brand">
        <Icon name="lock" size={28} />
        <span>Parley</span>
      </p>
      <section className="sign-in__card" aria-labelledby="sign-in-title">
        <p className="sign-in__step">Step {stepNumber[step]} of 3</p>
        {step === 'phone' && <PhoneStep {...props} />}
        {step === 'code' && <CodeStep {...props} />}
        {step === 'profile' && <ProfileStep {...props} />}
      </section>
      <p className="sign-in__footnote">
        Messages are end-to-end encrypted. Your keys never leave your devices.
      </p>
    </main>
  );
}

function PhoneStep({ busy, error, phoneNumber, onRequestCode }: SignInViewProps) {
  const { phone, setPhone, message, submit } = usePhoneNumberForm({
    ...(phoneNumber && { initial: phoneNumber }),
    busy,
    ...(error && { error }),
    onValid: onRequestCode,
  });
  const ids = useFieldIds();

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h1 id="sign-in-title">Enter your phone number</h1>
      <p className="form__lead">We will send a six-digit code to prove the number is yours.</p>
      <div className="field">
        <label htmlFor={ids.input}>Phone number</label>
        <input
          id={ids.input}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          enterKeyHint="next"
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          aria-describedby={message ? `${ids.hint} ${ids.error}` : ids.hint}
          aria-invalid={message ? true : undefined}
          // biome-ignore lint/a11y/noAutofocus: the only field on a page the user came to fill
          autoFocus
        />
        <p className="field__hint" id={ids.hint}>
          {phoneHint}
        </p>
      </div>
      <FormError id={ids.error} message={message} />
      <SubmitButton busy={busy} label="Send code" busyLabel="Sending code…" />
    </form>
  );
}

function CodeStep({ busy, error, phoneNumber, onVerify, onBack, onRequestCode }: SignInViewProps) {
  const [code, setCode] = useState('');
  const ids = useFieldIds();

  const change = (value: string) => {
    const digits = value.replace(/\D/g, '').slice(0, 6);
    setCode(digits);
    // The sixth digit is the natural end of the step; asking for a button press as well only
    // slows down the person who typed it (and the browser that filled it from an SMS).
    if (digits.length === 6 && digits !== code && !busy) onVerify(digits);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && code.length === 6) onVerify(code);
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h1 id="sign-in-title">Enter the code</h1>
      <p className="form__lead">
        {phoneNumber ? (
          <>
            We sent a six-digit code to <strong className="nowrap">{phoneNumber}</strong>.
          </>
        ) : (
          'We sent a six-digit code to your phone.'
        )}
      </p>
      <div className="field">
        <label htmlFor={ids.input}>Six-digit code</label>
        <input
          id={ids.input}
          className="code-input"
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          enterKeyHint="done"
          value={code}
          onChange={(event) => change(event.target.value)}
          aria-describedby={error ? ids.error : undefined}
          aria-invalid={error ? true : undefined}
          // biome-ignore lint/a11y/noAutofocus: the code is all this step asks for
          autoFocus
        />
      </div>
      <FormError id={ids.error} message={error} />
      <SubmitButton busy={busy} label="Verify" busyLabel="Checking the code…" />
      <div className="form__links">
        <button type="button" className="button button--text" onClick={onBack}>
          Change number
        </button>
        {phoneNumber && (
          <button
            type="button"
            className="button button--text"
            onClick={() => !busy && onRequestCode(phoneNumber)}
          >
            Send a new code
          </button>
        )}
      </div>
    </form>
  );
}

function ProfileStep({ busy, error, profile, onSaveProfile }: SignInViewProps) {
  const { displayName, setDisplayName, about, setAbout, problem, submit } = useProfileForm({
    ...(profile && { initial: profile }),
    busy,
    onSave: onSaveProfile,
  });
  const ids = useFieldIds();
  const aboutId = useId();

  const message = problem ?? error;

  return (
    <form className="form" onSubmit={submit} noValidate>
      <h1 id="sign-in-title">Your profile</h1>
      <p className="form__lead">People you message see your name and about line.</p>
      <div className="field">
        <label htmlFor={ids.input}>Name</label>
        <input
          id={ids.input}
          type="text"
          autoComplete="name"
          maxLength={64}
          required
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          aria-describedby={message ? ids.error : undefined}
          aria-invalid={problem ? true : undefined}
          // biome-ignore lint/a11y/noAutofocus: the first field of the step
          autoFocus
        />
      </div>
      <div className="field">
        <label htmlFor={aboutId}>
          About <span className="field__optional">(optional)</span>
        </label>
        <input
          id={aboutId}
          type="text"
          maxLength={140}
          value={about}
          onChange={(event) => setAbout(event.target.value)}
        />
      </div>
      <FormError id={ids.error} message={message} />
      <SubmitButton busy={busy} label="Start messaging" busyLabel="Saving…" />
    </form>
  );
}

function useFieldIds() {
  const base = useId();

  return { input: `${base}-input`, hint: `${base}-hint`, error: `${base}-error` };
}
