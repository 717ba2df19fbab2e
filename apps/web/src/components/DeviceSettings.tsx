'use client';

// Browser-only. The devices signed in to this account. Each is a member of every chat in its own
// right (a leaf of each encrypted group), so signing one out is the way to cut off a lost laptop.

import { useState } from 'react';

import type { DeviceView } from '../model/view-models';
import { ConfirmDialog } from './ConfirmDialog';
import { formatDate, formatDateTime, formatListTime } from './format-time';
import { Icon } from './Icon';

export type DeviceSettingsProps = {
  readonly devices: readonly DeviceView[];
  /** Called after the user confirmed. */
  readonly onRevokeDevice: (id: string) => void;
};

const revokeWarning =
  'It stops receiving messages at once and leaves all your chats. ' +
  'Messages it already has stay on it.';

const signOutWarning =
  'This browser forgets your keys and chats. Signed in again, it starts afresh: messages from ' +
  'before will not come back to it.';

export function DeviceSettings({ devices, onRevokeDevice }: DeviceSettingsProps) {
  const [revoking, setRevoking] = useState<DeviceView>();
  const now = Date.now();
  // This device first, then the most recently active.
  const sorted = [...devices].sort(
    (a, b) =>
      Number(b.current) - Number(a.current) ||
      (b.lastActiveAt ?? b.signedInAt) - (a.lastActiveAt ?? a.signedInAt),
  );

  const close = (confirmed: boolean) => {
    if (confirmed && revoking) onRevokeDevice(revoking.id);
    setRevoking(undefined);
  };

  return (
    <>
      <ul className="devices">
        {sorted.map((device) => (
          <li key={device.id} className="device">
            <Icon name="devices" />
            <div className="device__text">
              <p className="device__name">
                {device.name}
                {device.current && <span className="tag">This device</span>}
              </p>
              <p className="device__when">
                <span title={formatDateTime(device.signedInAt)}>
                  Signed in {formatDate(device.signedInAt)}
                </span>
                {device.lastActiveAt !== undefined && !device.current && (
                  <> · Last active: {formatListTime(device.lastActiveAt, now)}</>
                )}
              </p>
            </div>
            <button
              type="button"
              className="button button--danger-quiet"
              aria-label={device.current ? 'Sign out of this browser' : `Sign out ${device.name}`}
              onClick={() => setRevoking(device)}
            >
              Sign out
            </button>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={revoking !== undefined}
        title={revoking?.current ? 'Sign out of this browser?' : `Sign out ${revoking?.name}?`}
        message={revoking?.current ? signOutWarning : revokeWarning}
        confirmLabel="Sign out"
        onConfirm={() => close(true)}
        onCancel={() => close(false)}
      />
    </>
  );
}
