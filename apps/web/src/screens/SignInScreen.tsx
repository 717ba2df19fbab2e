'use client';
// Browser-only. Signs this browser in as a new device of an account (new or existing), then
// asks a new account for its name before the chat list opens.
import { useMemo, useState } from 'react';

import { type ProfileDraft, SignInView, type SignInStep } from '../components/SignInView';
import { ApiError } from '../engine/graphql-client.ts';
import { updateProfileMutation } from '../engine/operations.ts';
import { ParleyEngine } from '../engine/parley-engine.ts';
import { SignIn } from '../engine/sign-in.ts';

export type SignInScreenProps = { readonly onSignedIn: (engine: ParleyEngine) => void };

export function SignInScreen({ onSignedIn }: SignInScreenProps) {
  const signIn = useMemo(() => new SignIn(), []);
  const [step, setStep] = useState<SignInStep>('phone');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [phoneNumber, setPhoneNumber] = useState<string>();
  const [engine, setEngine] = useState<ParleyEngine>();

  const attempt = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(describe(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <SignInView
      step={step}
      busy={busy}
      {...(error && { error })}
      {...(phoneNumber && { phoneNumber })}
      onRequestCode={(phone) =>
        void attempt(async () => {
          setPhoneNumber(await signIn.requestCode(phone));
          setStep('code');
        })
      }
      onVerify={(code) =>
        void attempt(async () => {
          const { account, isNewUser } = await signIn.verify(code);
          const started = await ParleyEngine.start(account);
          if (isNewUser) {
            setEngine(started);
            setStep('profile');
          } else {
            onSignedIn(started);
          }
        })
      }
      onSaveProfile={(profile: ProfileDraft) =>
        void attempt(async () => {
          if (!engine) return;
          await engine.api.mutate(updateProfileMutation, profile);
          onSignedIn(engine);
        })
      }
      onBack={() => {
        setError(undefined);
        setStep('phone');
      }}
    />
  );
}

function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'NETWORK':
      return 'No connection to Parley. Check your network and try again.';
    case 'INVALID_PHONE_NUMBER':
      return 'That does not look like a phone number. Include the country code, like +44.';
    case 'INVALID_CODE':
    case 'CODE_EXPIRED':
      return 'That code is wrong or has expired. Check it, or ask for a new one.';
    case 'RATE_LIMITED':
    case 'TOO_MANY_ATTEMPTS':
      return 'Too many attempts. Wait a minute, then try again.';
    default:
      return error.message;
  }
}
