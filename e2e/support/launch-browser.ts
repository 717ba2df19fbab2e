// Test-only. Debian's Chromium, driven by playwright-core: one browser per test file, and one
// context (its own storage, keys and service worker, like a separate device) per user.
import { access } from 'node:fs/promises';
import { after } from 'node:test';

import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

// No sandbox because CI runs as root in a container; the rest keeps Chromium from reaching the
// network on its own (updates, sync, field trials), since tests run offline.
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

/** Launches Chromium for the calling test file, and closes it after the file's tests. */
export async function launchBrowser(): Promise<Browser> {
  await access(chromiumPath).catch(() => {
    throw new Error(`${chromiumPath} is missing; install it with \`apt-get install -y chromium\`.`);
  });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumFlags],
  });
  after(() => browser.close());
  return browser;
}

/**
 * A fresh browser profile for one user on the server at `origin`: relative URLs in `goto`
 * resolve against it. Close it to sign the user's "device" away.
 */
export function newUserContext(browser: Browser, origin: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL: origin, serviceWorkers: 'allow' });
}
