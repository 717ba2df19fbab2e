// Server-only. The server's Web Push identity (VAPID, RFC 8292): a P-256 key pair whose public
// half browsers bind each push subscription to, and whose private half signs every push request.
// It comes from the environment, or else is generated once and kept in the database, so that
// every instance signs with the same key and subscriptions survive restarts.
import { createECDH } from 'node:crypto';

import webPush from 'web-push';

import { ConfigError } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';

/** Both halves in base64url without padding, as web-push and `applicationServerKey` take them. */
export type VapidKeys = { readonly publicKey: string; readonly privateKey: string };

const keyName = 'vapid';

export async function loadVapidKeys(
  db: Database,
  configured: VapidKeys | undefined,
  log: Logger,
): Promise<VapidKeys> {
  if (configured) {
    checkPair(configured);
    return configured;
  }

  const stored = await db.prisma.serverKey.findUnique({ where: { name: keyName } });
  if (stored) return fromRow(stored);

  // Instances starting together may each generate a pair: the first insert wins, and everyone
  // reads back the winner.
  const generated = webPush.generateVAPIDKeys();
  const created = await db.prisma.serverKey.createMany({
    data: [
      {
        name: keyName,
        publicKey: new Uint8Array(Buffer.from(generated.publicKey, 'base64url')),
        privateKey: new Uint8Array(Buffer.from(generated.privateKey, 'base64url')),
      },
    ],
    skipDuplicates: true,
  });
  if (created.count === 1) log.info('generated the VAPID key pair for Web Push');
  return fromRow(await db.prisma.serverKey.findUniqueOrThrow({ where: { name: keyName } }));
}

function fromRow(row: { publicKey: Uint8Array; privateKey: Uint8Array }): VapidKeys {
  return {
    publicKey: Buffer.from(row.publicKey).toString('base64url'),
    privateKey: Buffer.from(row.privateKey).toString('base64url'),
  };
}

/** A public key that does not match the private one would make every push fail at the service. */
function checkPair(keys: VapidKeys): void {
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(Buffer.from(keys.privateKey, 'base64url'));
  } catch {
    throw new ConfigError(['VAPID_PRIVATE_KEY: not a P-256 private key']);
  }
  if (!ecdh.getPublicKey().equals(Buffer.from(keys.publicKey, 'base64url'))) {
    throw new ConfigError(['VAPID_PUBLIC_KEY: not the public half of VAPID_PRIVATE_KEY']);
  }
}
