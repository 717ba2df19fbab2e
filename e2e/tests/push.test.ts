// Web Push with the app closed. The server sends to a push service on loopback; what it sends
// is encrypted to the browser's push keys and carries only the MLS ciphertext. Delivered to the
// browser's service worker (through the DevTools protocol, since this machine reaches no real
// push service), it becomes a notification with the sender's name and the decrypted text.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { FakePushService } from '@parley/api/test/support/fake-push-service.ts';
import { PushReceiver } from '@parley/api/test/support/push-receiver.ts';

import { launchBrowser } from '../support/launch-browser.ts';
import { ParleyUser } from '../support/parley-user.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley({ env: { PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' } });
const browser = await launchBrowser();
const pushService = await FakePushService.start();

const registerPush = `mutation($endpoint: String!, $p256dh: String!, $auth: String!) {
  registerPushSubscription(input: { endpoint: $endpoint, keys: { p256dh: $p256dh, auth: $auth } }) {
    endpointOrigin
  }
}`;

describe('push notifications', () => {
  let ana: ParleyUser;
  let ben: ParleyUser;

  before(async () => {
    ana = await ParleyUser.open(browser, parley, 'Ana', '+14155550401');
    await ana.signUp();
    ben = await ParleyUser.open(browser, parley, 'Ben', '+14155550402');
    await ben.signUp();
    await ana.startChatWith(ben);
    await ana.send('Hello before the app closes');
    await ben.openChat('Ana');
    await ben.message('Hello before the app closes').waitFor();
  });

  it('shows the decrypted message from a push while the app is closed', async () => {
    await ben.context.grantPermissions(['notifications'], { origin: parley.url });
    const registrationId = await serviceWorkerRegistrationId(ben);

    // The subscription a browser would make, pointed at the loopback push service. Registered
    // with Ben's own device token, read from his browser's storage.
    const receiver = PushReceiver.create();
    const endpoint = pushService.endpoint();
    const token = await ben.page.evaluate(readDeviceToken);
    const response = await fetch(`${parley.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: registerPush, variables: { endpoint, ...receiver.keys } }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { errors?: unknown }).errors, undefined);

    // The app closes; a page that runs none of its code stays open to ask for notifications.
    const probe = await ben.context.newPage();
    await probe.goto('/manifest.webmanifest');
    await ben.page.close();
    const secret = 'The meeting moved to 4pm';
    await waitUntil(async () => {
      await ana.send(`${secret} #${Date.now()}`);
      return (await pushService.waitFor(endpoint, 1, 3_000).catch(() => [])).length > 0;
    });

    const [push] = pushService.pushesTo(endpoint);
    assert.ok(push);
    assert.equal(push.body.includes(Buffer.from(secret)), false, 'the push body is encrypted');
    const payload = JSON.parse(receiver.decrypt(push.body).toString('utf8')) as {
      type: string;
      ciphertext?: string;
    };
    assert.equal(payload.type, 'message');
    assert.ok(payload.ciphertext, 'the payload carries the MLS ciphertext');
    assert.equal(JSON.stringify(payload).includes(secret), false, 'no plaintext in the payload');

    const cdp = await ben.context.newCDPSession(probe);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: parley.url,
      registrationId,
      data: JSON.stringify(payload),
    });

    let shown: { title: string; body: string }[] = [];
    await waitUntil(async () => {
      shown = await probe.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration('/');
        const notifications = (await registration?.getNotifications()) ?? [];
        return notifications.map((n) => ({ title: n.title, body: n.body }));
      });
      return shown.length > 0;
    });
    assert.equal(shown[0]?.title, 'Ana');
    assert.match(shown[0]?.body ?? '', new RegExp(`^${secret} #\\d+$`));
  });
});

async function serviceWorkerRegistrationId(user: ParleyUser): Promise<string> {
  await user.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  const cdp = await user.context.newCDPSession(user.page);
  const registered = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return registered;
}

async function readDeviceToken(): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('parley');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return new Promise((resolve, reject) => {
    const request = db.transaction('device').objectStore('device').get('self');
    request.onsuccess = () =>
      resolve((request.result as { account: { token: string } }).account.token);
    request.onerror = () => reject(request.error);
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
