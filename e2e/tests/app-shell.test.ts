// The app shell: what a first visit to Parley's origin loads before anybody signs in. It must
// come from the API's own origin, name itself, offer a manifest browsers accept for installing,
// and be usable with a screen reader and a keyboard.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assertAccessible } from '../support/assert-accessible.ts';
import { launchBrowser, newUserContext } from '../support/launch-browser.ts';
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
});
