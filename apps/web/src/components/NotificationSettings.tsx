// Browser-only. Whether this device gets a notification when a message arrives while Parley is
// closed. The browser's permission decides what is possible: once denied, only the user can
// allow it again, in the browser's own settings, so the view says where.

import type { NotificationsView } from '../model/view-models';
import { Spinner } from './Spinner';

export type NotificationSettingsProps = {
  readonly notifications: NotificationsView;
  readonly busy: boolean;
  readonly onSetNotifications: (enabled: boolean) => void;
};

export function NotificationSettings({
  notifications,
  busy,
  onSetNotifications,
}: NotificationSettingsProps) {
  const { permission, enabled } = notifications;

  if (permission === 'unsupported') {
    return (
      <p className="settings__state">
        This browser cannot show notifications from Parley. Installing Parley as an app, or using
        another browser, may allow them.
      </p>
    );
  }

  if (permission === 'denied') {
    return (
      <div className="settings__state">
        <p>
          <strong>Blocked.</strong> Notifications for this site are turned off in your browser.
        </p>
        <p>
          To turn them back on, open the site settings (the icon to the left of the address), allow
          notifications for this site, then reload Parley.
        </p>
      </div>
    );
  }

  const on = enabled && permission === 'granted';

  return (
    <div className="settings__row">
      <p className="settings__state">
        <strong>{on ? 'On.' : 'Off.'}</strong>{' '}
        {on
          ? 'This device shows a notification when a message arrives while Parley is closed. ' +
            'It is decrypted here: the push service never sees your messages.'
          : 'Turn them on to hear about messages while Parley is closed.'}
      </p>
      <button
        type="button"
        className={on ? 'button' : 'button button--primary'}
        aria-disabled={busy}
        onClick={() => !busy && onSetNotifications(!on)}
      >
        {busy && <Spinner size={18} />}
        {on ? 'Disable' : 'Enable'}
      </button>
    </div>
  );
}
