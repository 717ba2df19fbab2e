'use client';

// Browser-only. The name, about line and photo others see. Text changes are saved together with
// a button (a half-typed name should not reach everyone's chat list); a new photo is handed over
// as soon as it is picked, with a preview in the meantime.

import { type ChangeEvent, useEffect, useId, useState } from 'react';

import type { ProfileView } from '../model/view-models';
import { Avatar } from './Avatar';
import { FormError } from './FormError';
import { Icon } from './Icon';
import type { ProfileDraft } from './SignInView';
import { useProfileForm } from './useProfileForm';
import { SubmitButton } from './SubmitButton';

export type ProfileSettingsProps = {
  readonly profile: ProfileView;
  readonly busy: boolean;
  readonly onSaveProfile: (profile: ProfileDraft) => void;
  readonly onChangePhoto: (file: File) => void;
};

export function ProfileSettings({
  profile,
  busy,
  onSaveProfile,
  onChangePhoto,
}: ProfileSettingsProps) {
  const { displayName, setDisplayName, about, setAbout, problem, submit } = useProfileForm({
    initial: profile,
    busy,
    onSave: onSaveProfile,
  });
  const [preview, setPreview] = useState<string>();
  const ids = { name: useId(), about: useId(), photo: useId(), error: useId() };

  // The saved profile changed underneath (saved here, or on another device): show it.
  useEffect(() => {
    setDisplayName(profile.displayName);
    setAbout(profile.about);
  }, [profile.displayName, profile.about, setDisplayName, setAbout]);

  // An object URL holds the picked file in memory until it is revoked.
  useEffect(() => {
    if (!preview) return;

    return () => URL.revokeObjectURL(preview);
  }, [preview]);

  const pickPhoto = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;

    setPreview(URL.createObjectURL(file));
    onChangePhoto(file);
  };

  const changed = displayName.trim() !== profile.displayName || about.trim() !== profile.about;

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="photo-picker">
        <Avatar name={profile.displayName} url={preview ?? profile.avatarUrl} size="xl" />
        <input
          id={ids.photo}
          className="visually-hidden photo-picker__input"
          type="file"
          accept="image/*"
          onChange={pickPhoto}
        />
        <label htmlFor={ids.photo} className="button photo-picker__label">
          <Icon name="camera" size={20} />
          Change photo
        </label>
      </div>
      <p className="settings__phone">
        Your number: <span className="nowrap">{profile.phoneNumber}</span>
      </p>
      <div className="field">
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          type="text"
          autoComplete="name"
          maxLength={64}
          value={displayName}
          onChange={(event) => setDisplayName(event.target.value)}
          aria-describedby={problem ? ids.error : undefined}
          aria-invalid={problem ? true : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.about}>About</label>
        <input
          id={ids.about}
          type="text"
          maxLength={140}
          value={about}
          onChange={(event) => setAbout(event.target.value)}
        />
      </div>
      <FormError id={ids.error} message={problem} />
      {(changed || busy) && (
        <SubmitButton busy={busy} label="Save profile" busyLabel="Saving…" wide={false} />
      )}
    </form>
  );
}
