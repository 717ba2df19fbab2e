'use client';

// Browser-only. Settings, in the sidebar in place of the chat list: profile, privacy,
// notifications, devices, linking a new device, and the developer API. Every section reports
// its own changes through its own callback; nothing here is saved by the view itself.

import type { ReactNode } from 'react';

import type { DeviceView, NotificationsView, PrivacyView, ProfileView } from '../model/view-models';
import { DeveloperSection } from './DeveloperSection';
import { DeviceSettings } from './DeviceSettings';
import { Icon, type IconName } from './Icon';
import { LinkDeviceSection } from './LinkDeviceSection';
import { NotificationSettings } from './NotificationSettings';
import { PrivacySettings } from './PrivacySettings';
import { ProfileSettings } from './ProfileSettings';
import type { ProfileDraft } from './SignInView';

export type SettingsViewProps = {
  readonly profile: ProfileView;
  readonly privacy: PrivacyView;
  readonly notifications: NotificationsView;
  readonly devices: readonly DeviceView[];
  /** Where Parley runs, shown to open on another device: usually `location.origin`. */
  readonly appUrl: string;
  /** "/graphql" unless told. */
  readonly graphqlUrl?: string;
  /** A profile save is in flight. */
  readonly profileBusy?: boolean;
  /** Subscribing to or unsubscribing from Web Push is in flight. */
  readonly notificationsBusy?: boolean;
  readonly onSaveProfile: (profile: ProfileDraft) => void;
  readonly onChangePhoto: (file: File) => void;
  /** Only the field that changed. */
  readonly onChangePrivacy: (change: Partial<PrivacyView>) => void;
  readonly onSetNotifications: (enabled: boolean) => void;
  /** Called after the user confirmed. */
  readonly onRevokeDevice: (id: string) => void;
  /** Back to the chat list. */
  readonly onClose: () => void;
};

export function SettingsView(props: SettingsViewProps) {
  return (
    <div className="settings">
      <header className="pane-header">
        <button
          type="button"
          className="icon-button"
          aria-label="Back to chats"
          onClick={props.onClose}
        >
          <Icon name="back" />
        </button>
        <h1 className="pane-header__title">Settings</h1>
      </header>
      <div className="settings__scroll">
        <SettingsSection id="settings-profile" icon="user" title="Profile">
          <ProfileSettings
            profile={props.profile}
            busy={props.profileBusy ?? false}
            onSaveProfile={props.onSaveProfile}
            onChangePhoto={props.onChangePhoto}
          />
        </SettingsSection>
        <SettingsSection id="settings-privacy" icon="eye" title="Privacy">
          <PrivacySettings privacy={props.privacy} onChangePrivacy={props.onChangePrivacy} />
        </SettingsSection>
        <SettingsSection id="settings-notifications" icon="bell" title="Notifications">
          <NotificationSettings
            notifications={props.notifications}
            busy={props.notificationsBusy ?? false}
            onSetNotifications={props.onSetNotifications}
          />
        </SettingsSection>
        <SettingsSection id="settings-devices" icon="devices" title="Devices">
          <DeviceSettings devices={props.devices} onRevokeDevice={props.onRevokeDevice} />
        </SettingsSection>
        <SettingsSection id="settings-link" icon="link" title="Link a device">
          <LinkDeviceSection appUrl={props.appUrl} />
        </SettingsSection>
        <SettingsSection id="settings-developer" icon="code" title="Developer">
          <DeveloperSection graphqlUrl={props.graphqlUrl} />
        </SettingsSection>
      </div>
    </div>
  );
}

type SettingsSectionProps = {
  readonly id: string;
  readonly icon: IconName;
  readonly title: string;
  readonly children: ReactNode;
};

function SettingsSection({ id, icon, title, children }: SettingsSectionProps) {
  return (
    <section className="settings__section" aria-labelledby={id}>
      <h2 id={id} className="section-title">
        <Icon name={icon} size={20} />
        {title}
      </h2>
      {children}
    </section>
  );
}
