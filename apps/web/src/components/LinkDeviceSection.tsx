// Browser-only. How to add another device: there is no pairing code, because a device is proved
// by the phone number like the first one was. Signing in joins it to the account, and it takes
// part in your chats from then on (earlier messages were encrypted before it existed).

import { QrCodeImage } from './QrCodeImage';

export type LinkDeviceSectionProps = {
  /** Where Parley runs, e.g. "https://parley.example". */
  readonly appUrl: string;
};

export function LinkDeviceSection({ appUrl }: LinkDeviceSectionProps) {
  return (
    <div className="link-device">
      <ol className="steps">
        <li>
          On the other device, open{' '}
          <a href={appUrl} target="_blank" rel="noopener noreferrer">
            {appUrl}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>{' '}
          or scan the code.
        </li>
        <li>Sign in with this account’s phone number and the code it receives.</li>
        <li>
          It becomes a device of this account and joins your chats. It receives new messages;
          messages sent before it joined stay on the devices that had them.
        </li>
      </ol>
      <QrCodeImage value={appUrl} alt={`QR code of ${appUrl}`} size={160} />
    </div>
  );
}
