'use client';
// Browser-only. Settings, wired to the engine: profile, privacy, notifications and devices.
// They live on the server (except notifications, which are this browser's), so the screen
// needs the network; offline it says so.
import { useCallback, useEffect, useState } from 'react';

import { EmptyState } from '../components/EmptyState';
import { SettingsView } from '../components/SettingsView';
import { Spinner } from '../components/Spinner';
import {
  disableNotifications,
  enableNotifications,
  notificationsState,
} from '../engine/notifications.ts';
import type { ParleyEngine } from '../engine/parley-engine.ts';
import {
  changePhoto,
  loadAccountSettings,
  revokeDevice,
  saveProfile,
  savePrivacy,
  type AccountSettings,
} from '../engine/profile.ts';
import type { NotificationsView } from '../model/view-models.ts';

export type SettingsScreenProps = { readonly engine: ParleyEngine; readonly onClose: () => void };

export function SettingsScreen({ engine, onClose }: SettingsScreenProps) {
  const [settings, setSettings] = useState<AccountSettings | 'offline'>();
  const [notifications, setNotifications] = useState<NotificationsView>({
    permission: 'default',
    enabled: false,
  });
  const [profileBusy, setProfileBusy] = useState(false);
  const [notificationsBusy, setNotificationsBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setSettings(await loadAccountSettings(engine));
    } catch {
      setSettings('offline');
    }
    setNotifications(await notificationsState(engine));
  }, [engine]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const run = async (work: () => Promise<void>, busy?: (on: boolean) => void) => {
    busy?.(true);
    try {
      await work();
    } catch (error) {
      console.warn('Parley: a settings change failed', error);
    } finally {
      busy?.(false);
      await reload();
    }
  };

  if (settings === undefined) return <Spinner label="Loading settings" />;
  if (settings === 'offline') {
    return (
      <EmptyState
        title="Settings need a connection"
        description="Your chats stay readable offline; settings load when you are back online."
      />
    );
  }
  return (
    <SettingsView
      profile={settings.profile}
      privacy={settings.privacy}
      notifications={notifications}
      devices={settings.devices}
      appUrl={window.location.origin}
      profileBusy={profileBusy}
      notificationsBusy={notificationsBusy}
      onSaveProfile={(profile) => void run(() => saveProfile(engine, profile), setProfileBusy)}
      onChangePhoto={(file) => void run(() => changePhoto(engine, file), setProfileBusy)}
      onChangePrivacy={(change) => void run(() => savePrivacy(engine, change))}
      onSetNotifications={(enabled) =>
        void run(
          () => (enabled ? enableNotifications(engine) : disableNotifications(engine)),
          setNotificationsBusy,
        )
      }
      onRevokeDevice={(id) => {
        const current = settings.devices.find((device) => device.current)?.id === id;
        void run(async () => {
          await revokeDevice(engine, id);
          if (current) engine.signedOut();
        });
      }}
      onClose={onClose}
    />
  );
}
