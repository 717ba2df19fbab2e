// Browser-only (service worker). Two jobs: the app shell loads with no network, and a Web Push
// becomes a notification showing who wrote and what, decrypted here with this device's own MLS
// state, since the push service and Parley's server only ever carry ciphertext.
import { describePush } from './push-notification.ts';

declare const self: ServiceWorkerGlobalScope;

/** The files of this build, filled in by scripts/build-workers.mjs after `next build`. */
declare const __PRECACHE__: { readonly version: string; readonly files: readonly string[] };

const shellCache = `parley-shell-${__PRECACHE__.version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(shellCache);
      await cache.addAll([...__PRECACHE__.files]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('parley-shell-') && name !== shellCache) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  // The API and media are never cached here: the history lives in IndexedDB, decrypted.
  if (url.pathname.startsWith('/graphql') || url.pathname.startsWith('/media')) return;

  if (request.mode === 'navigate') {
    // Network first, so a new build shows at once; the cached shell when offline. Every screen
    // is the one page, so the shell's index serves any path.
    event.respondWith(
      fetch(request).catch(async () => {
        const cache = await caches.open(shellCache);
        return (await cache.match('/')) ?? Response.error();
      }),
    );
    return;
  }

  event.respondWith(
    (async () => {
      const cache = await caches.open(shellCache);
      const cached = await cache.match(request);
      if (cached) return cached;
      return fetch(request);
    })(),
  );
});

self.addEventListener('push', (event) => {
  event.waitUntil(
    (async () => {
      const shown = await describePush(event.data?.text() ?? '');
      await self.registration.showNotification(shown.title, {
        body: shown.body,
        tag: shown.conversationId ?? 'parley',
        icon: '/icons/icon-192.png',
        badge: '/icons/icon-192.png',
        data: { conversationId: shown.conversationId },
      });
    })(),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const conversationId = (event.notification.data as { conversationId?: string } | null)
    ?.conversationId;
  const target = conversationId ? `/?chat=${encodeURIComponent(conversationId)}` : '/';
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows[0];
      if (open) {
        await open.focus();
        await open.navigate(target);
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});
