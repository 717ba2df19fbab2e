// Browser-only (page). Web Push for this device: asks the browser for permission, subscribes
// with the server's VAPID key and registers the subscription, so that while no tab is open the
// service worker gets each message and shows it (service-worker/push-notification.ts).
import type { NotificationsView } from '../model/view-models.ts';
import type { ParleyEngine } from './parley-engine.ts';
import {
  pushConfigQuery,
  registerPushSubscriptionMutation,
  removePushSubscriptionMutation,
} from './operations.ts';

/** How long to wait for the browser's push service before giving up. */
const subscribeTimeoutMs = 15_000;

export class PushUnavailableError extends Error {
  override readonly name = 'PushUnavailableError';
}

export async function notificationsState(engine: ParleyEngine): Promise<NotificationsView> {
  if (!('Notification' in window) || !('serviceWorker' in navigator)) {
    return { permission: 'unsupported', enabled: false };
  }
  let enabled = false;
  try {
    enabled = (await engine.api.query(pushConfigQuery)).viewer.pushEnabled === true;
  } catch {
    // Offline: shown as off until the server can say.
  }
  return { permission: Notification.permission, enabled };
}

export async function enableNotifications(engine: ParleyEngine): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') throw new PushUnavailableError('Notifications are not allowed.');
  const config = await engine.api.query(pushConfigQuery);
  const registration = await navigator.serviceWorker.ready;
  const subscription = await withTimeout(
    registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: fromBase64Url(config.pushConfig.vapidPublicKey as string),
    }),
    subscribeTimeoutMs,
  );
  const keys = subscription.toJSON().keys ?? {};
  if (!keys.p256dh || !keys.auth) throw new PushUnavailableError('The browser gave no push keys.');
  await engine.api.mutate(registerPushSubscriptionMutation, {
    endpoint: subscription.endpoint,
    p256dh: keys.p256dh,
    auth: keys.auth,
  });
}

export async function disableNotifications(engine: ParleyEngine): Promise<void> {
  await engine.api.mutate(removePushSubscriptionMutation);
  const registration = await navigator.serviceWorker.getRegistration();
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new PushUnavailableError('The browser’s push service did not answer.')),
      ms,
    );
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
