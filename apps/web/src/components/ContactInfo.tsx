'use client';

// Browser-only. Who the other person is, and the safety number that proves the chat is
// encrypted for their devices and nobody else's: compared by reading the digits to each other
// or by scanning the code, then marked as verified.

import type { ContactView } from '../model/view-models';
import { Avatar } from './Avatar';
import { Dialog } from './Dialog';
import { Icon } from './Icon';
import { QrCodeImage } from './QrCodeImage';
import { SafetyNumber } from './SafetyNumber';
import { Switch } from './Switch';

export type ContactInfoProps = {
  readonly open: boolean;
  readonly contact: ContactView;
  readonly onSetVerified: (verified: boolean) => void;
  readonly onClose: () => void;
};

export function ContactInfo({ open, contact, onSetVerified, onClose }: ContactInfoProps) {
  const name = contact.displayName;

  return (
    <Dialog open={open} title="Contact info" onClose={onClose} variant="sheet">
      <div className="contact">
        <div className="contact__who">
          <Avatar name={name} url={contact.avatarUrl} size="xl" />
          <p className="contact__name">{name}</p>
          <p className="contact__phone">{contact.phoneNumber}</p>
          {contact.about && <p className="contact__about">{contact.about}</p>}
        </div>

        <section className="contact__section" aria-labelledby="contact-safety">
          <h3 id="contact-safety" className="section-title">
            <Icon name="shield" size={20} />
            Safety number
            {contact.verified && <span className="tag tag--verified">Verified</span>}
          </h3>
          <p className="contact__explain">
            To be sure that nobody is listening in, compare these numbers with the ones on {name}’s
            screen, in person or on a call you trust, or scan each other’s code. If they match, your
            chat is encrypted for {name}’s devices and nobody else’s.
          </p>
          <div className="contact__safety">
            <SafetyNumber groups={contact.safetyNumber} />
            <QrCodeImage
              value={contact.safetyQrPayload}
              alt={`QR code of your safety number with ${name}`}
            />
          </div>
          <Switch
            label="Mark as verified"
            description="Turn this on only after the numbers matched."
            checked={contact.verified}
            onChange={onSetVerified}
          />
        </section>
      </div>
    </Dialog>
  );
}
