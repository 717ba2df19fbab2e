'use client';
// Browser-only. Contact info for the open direct chat, with the safety number to compare.
import { useEffect, useState } from 'react';

import { ContactInfo } from '../components/ContactInfo';
import { loadContact, setVerified, type LoadedContact } from '../engine/contacts.ts';
import type { ParleyEngine } from '../engine/parley-engine.ts';

export type ContactScreenProps = {
  readonly engine: ParleyEngine;
  readonly conversationId: string;
  readonly onClose: () => void;
};

export function ContactScreen({ engine, conversationId, onClose }: ContactScreenProps) {
  const [contact, setContact] = useState<LoadedContact>();
  const [version, setVersion] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` asks for a fresh read.
  useEffect(() => {
    let cancelled = false;
    loadContact(engine, conversationId)
      .then((loaded) => {
        if (!cancelled) setContact(loaded);
      })
      .catch((error: unknown) => console.warn('Parley: contact info unavailable', error));
    return () => {
      cancelled = true;
    };
  }, [engine, conversationId, version]);

  if (!contact) return null;
  return (
    <ContactInfo
      open
      contact={contact.view}
      onSetVerified={(verified) =>
        void setVerified(engine, contact, verified).then(() => setVersion((v) => v + 1))
      }
      onClose={onClose}
    />
  );
}
