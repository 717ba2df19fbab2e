'use client';
// Browser-only. The state of a form for the name and about line others see (signing up, the
// settings): what is typed, and the one rule checked before saving, that a name is given.
import { type FormEvent, useState } from 'react';

import type { ProfileDraft } from './SignInView';

export type ProfileForm = {
  readonly displayName: string;
  readonly setDisplayName: (value: string) => void;
  readonly about: string;
  readonly setAbout: (value: string) => void;
  readonly problem: string | undefined;
  readonly submit: (event: FormEvent) => void;
};

export function useProfileForm(options: {
  readonly initial?: ProfileDraft;
  readonly busy: boolean;
  readonly onSave: (profile: ProfileDraft) => void;
}): ProfileForm {
  const [displayName, setDisplayName] = useState(options.initial?.displayName ?? '');
  const [about, setAbout] = useState(options.initial?.about ?? '');
  const [problem, setProblem] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (options.busy) return;

    if (!displayName.trim()) {
      setProblem('Enter the name others will see.');
      return;
    }

    setProblem(undefined);
    options.onSave({ displayName: displayName.trim(), about: about.trim() });
  };

  return { displayName, setDisplayName, about, setAbout, problem, submit };
}
