'use client';

// Browser-only. Who may see when you are online and when you were last seen, and whether you
// send read receipts. Each change takes effect at once.

import { useId } from 'react';

import type { PrivacyView, Visibility } from '../model/view-models';
import { Switch } from './Switch';

export type PrivacySettingsProps = {
  readonly privacy: PrivacyView;
  /** Only the field that changed. */
  readonly onChangePrivacy: (change: Partial<PrivacyView>) => void;
};

const visibilityLabels: Record<Visibility, string> = {
  EVERYONE: 'Everyone',
  CONTACTS: 'My contacts',
  NOBODY: 'Nobody',
};

export function PrivacySettings({ privacy, onChangePrivacy }: PrivacySettingsProps) {
  const lastSeenId = useId();
  const onlineId = useId();
  const noteId = useId();

  return (
    <div className="form">
      <div className="field field--inline">
        <label htmlFor={lastSeenId}>Who can see my last seen</label>
        <VisibilitySelect
          id={lastSeenId}
          value={privacy.lastSeen}
          describedBy={noteId}
          onChange={(lastSeen) => onChangePrivacy({ lastSeen })}
        />
      </div>
      <div className="field field--inline">
        <label htmlFor={onlineId}>Who can see when I’m online</label>
        <VisibilitySelect
          id={onlineId}
          value={privacy.online}
          describedBy={noteId}
          onChange={(online) => onChangePrivacy({ online })}
        />
      </div>
      <p className="field__hint" id={noteId}>
        It works both ways: if you hide your last seen or online status from someone, you do not see
        theirs either.
      </p>
      <Switch
        label="Read receipts"
        description="When this is on, others see when you have read their messages."
        checked={privacy.readReceipts}
        onChange={(readReceipts) => onChangePrivacy({ readReceipts })}
      />
    </div>
  );
}

type VisibilitySelectProps = {
  readonly id: string;
  readonly value: Visibility;
  readonly describedBy: string;
  readonly onChange: (value: Visibility) => void;
};

function VisibilitySelect({ id, value, describedBy, onChange }: VisibilitySelectProps) {
  return (
    <select
      id={id}
      value={value}
      aria-describedby={describedBy}
      onChange={(event) => onChange(event.target.value as Visibility)}
    >
      {(Object.keys(visibilityLabels) as Visibility[]).map((option) => (
        <option key={option} value={option}>
          {visibilityLabels[option]}
        </option>
      ))}
    </select>
  );
}
