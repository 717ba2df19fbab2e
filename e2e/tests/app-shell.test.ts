// The app shell: what a first visit to Parley's origin loads before anybody signs in. It must
// come from the API's own origin, name itself, offer a manifest browsers accept for installing,
// and be usable with a screen reader and a keyboard.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { chromium } from 'playwright-core';

import { assertAccessible } from '../support/assert-accessible.ts';
import {
  chromiumFlags,
  chromiumPath,
  launchBrowser,
  newUserContext,
} from '../support/launch-browser.ts';
import { saveScreenshot } from '../support/save-screenshot.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley();
const browser = await launchBrowser();

describe('the app shell', () => {
  it("loads from the server's origin with the title Parley", async () => {
    const context = await newUserContext(browser, parley.url);
    const page = await context.newPage();
    const response = await page.goto('/');
    assert.equal(response?.status(), 200);
    assert.equal(new URL(page.url()).origin, parley.url);
    assert.equal(await page.title(), 'Parley');
    await saveScreenshot(page, 'app-shell');
    await context.close();
  });

  it('links a web app manifest, served as application/manifest+json', async () => {
    const context = await newUserContext(browser, parley.url);
    const page = await context.newPage();
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    assert.ok(href, 'the page links a manifest');

    const response = await context.request.get(new URL(href, parley.url).href);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'] ?? '', /^application\/manifest\+json/);
    const manifest = (await response.json()) as { name?: string };
    assert.equal(manifest.name, 'Parley');
    await context.close();
  });

  it('has no serious or critical accessibility violation', async () => {
    const context = await newUserContext(browser, parley.url);
    const page = await context.newPage();
    await page.goto('/');
    await assertAccessible(page);
    await context.close();
  });

  // A profile on disk: Chromium offers no installing from an incognito-like context.
  it('is installable: Chromium reports no installability errors', async () => {
    const profile = await mkdtemp(path.join(tmpdir(), 'parley-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      args: [...chromiumFlags],
      baseURL: parley.url,
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    await context.close();
    await rm(profile, { recursive: true, force: true });
  });

  it('serves GraphiQL on the same origin, with nothing fetched from elsewhere', async () => {
    const context = await newUserContext(browser, parley.url);
    const page = await context.newPage();
    const origins = new Set<string>();
    page.on('request', (request) => {
      origins.add(new URL(request.url()).origin);
    });
    await page.goto('/graphql');
    await page
      .getByRole('button', { name: /Execute query/i })
      .first()
      .waitFor();
    assert.deepEqual([...origins], [parley.url]);
    await saveScreenshot(page, 'graphiql');
    await context.close();
  });
});
