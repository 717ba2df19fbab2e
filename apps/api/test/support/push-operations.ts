// Test-only. Web Push as a browser client drives it: subscribe with the server's VAPID key,
// register the subscription for the device, and go away so that pushes are what it gets.
import type { ParleyServer } from '../../src/server.js';
import type { DeviceId } from '../../src/ids.js';
import type { FakePushService } from './fake-push-service.js';
import { ok, uuidOf, type Account } from './harness.js';
import { PushReceiver } from './push-receiver.js';

export const registerPushMutation = `mutation($e: String!, $p: String!, $a: String!) {
  registerPushSubscription(input: { endpoint: $e, keys: { p256dh: $p, auth: $a } }) {
    endpointOrigin createdAt
  }
}`;

export type PushDevice = { readonly endpoint: string; readonly receiver: PushReceiver };

/** Subscribes the device on the fake push service, which answers its pushes with `status`. */
export async function enablePush(
  server: ParleyServer,
  account: Account,
  service: FakePushService,
  status = 201,
): Promise<PushDevice> {
  const receiver = PushReceiver.create();
  const endpoint = service.endpoint(status);
  const { p256dh, auth } = receiver.keys;
  await ok(server, registerPushMutation, { e: endpoint, p: p256dh, a: auth }, account.token);
  return { endpoint, receiver };
}

/** Waits until no instance counts a live connection of the device (its socket closed). */
export async function waitUntilAway(server: ParleyServer, account: Account): Promise<void> {
  const deviceId = uuidOf(account.deviceId) as DeviceId;
  const deadline = Date.now() + 5_000;
  while ((await server.deps.store.connectedDevices([deviceId])).size > 0) {
    if (Date.now() > deadline) throw new Error('the device still counts as connected');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The JSON a push carried, decrypted as the device's service worker would. */
export function pushPayload(device: PushDevice, body: Buffer): Record<string, any> {
  return JSON.parse(device.receiver.decrypt(body).toString('utf8')) as Record<string, any>;
}
