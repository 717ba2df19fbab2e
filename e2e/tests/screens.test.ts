// Every main screen, on a desktop and on a phone-sized screen: each is saved as a screenshot for
// review (e2e/artifacts/screenshots) and checked with axe-core for serious or critical
// accessibility violations. The screens show real data: two users who have chatted.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';

import { assertAccessible } from '../support/assert-accessible.ts';
import { launchBrowser } from '../support/launch-browser.ts';
import { ParleyUser } from '../support/parley-user.ts';
import { saveScreenshot } from '../support/save-screenshot.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley();
const browser = await launchBrowser();

const sizes = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 375, height: 740 },
] as const;

describe('every screen', () => {
  let ana: ParleyUser;
  let ben: ParleyUser;

  before(async () => {
    ana = await ParleyUser.open(browser, parley, 'Ana', '+14155550501');
    await ana.signUp();
    ben = await ParleyUser.open(browser, parley, 'Ben', '+14155550502');
    await ben.signUp();
    await ana.startChatWith(ben);
    await ana.send('Morning! Did you see https://example.org/plans?');
    await ben.openChat('Ana');
    await ben.send('I did, looks good 👍');
    await ana.message('I did, looks good').waitFor();
  });

  for (const size of sizes) {
    it(`passes axe and is captured on a ${size.name}`, async () => {
      const page = ana.page;
      await page.setViewportSize({ width: size.width, height: size.height });

      await page.goto('/');
      await ana.chatRow('Ben').waitFor();
      await saveScreenshot(page, `${size.name}-chat-list`);
      await assertAccessible(page);

      await ana.openChat('Ben');
      await ana.message('I did, looks good').waitFor();
      await saveScreenshot(page, `${size.name}-conversation`);
      await assertAccessible(page);

      await page.getByRole('button', { name: /^Ben, / }).click();
      const contact = page.getByRole('dialog');
      await contact.getByRole('img', { name: /QR/i }).waitFor();
      const digits = await contact.getByText(/^\d{5}$/).allInnerTexts();
      assert.equal(digits.length, 12, 'twelve groups of five digits');
      await saveScreenshot(page, `${size.name}-contact-info`);
      await assertAccessible(page);
      await page.keyboard.press('Escape');

      await page.goto('/');
      await page.getByRole('button', { name: 'New chat' }).first().click();
      await page.getByRole('dialog').getByRole('textbox', { name: 'Phone number' }).waitFor();
      await saveScreenshot(page, `${size.name}-new-chat`);
      await assertAccessible(page);
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Settings' }).first().click();
      await page.getByRole('heading', { name: 'Devices' }).waitFor();
      await saveScreenshot(page, `${size.name}-settings`);
      await assertAccessible(page);
    });
  }

  it('both users see the same safety number', async () => {
    const read = async (user: ParleyUser, other: string) => {
      await user.page.goto('/');
      await user.openChat(other);
      await user.page.getByRole('button', { name: new RegExp(`^${other}, `) }).click();
      await user.page.getByRole('dialog').getByRole('img', { name: /QR/i }).waitFor();
      const digits = await user.page
        .getByRole('dialog')
        .getByText(/^\d{5}$/)
        .allInnerTexts();
      await user.page.keyboard.press('Escape');
      return digits.join(' ');
    };
    const seenByAna = await read(ana, 'Ben');
    assert.match(seenByAna, /^(\d{5} ){11}\d{5}$/);
    assert.equal(await read(ben, 'Ana'), seenByAna);
  });

  it('sets a profile photo that the contact sees next to the chat', async () => {
    const page = ana.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/?view=settings');
    await page.getByLabel('Change photo').setInputFiles({
      name: 'me.png',
      mimeType: 'image/png',
      buffer: await readFile(new URL('../../apps/web/public/icons/icon-192.png', import.meta.url)),
    });
    // Shown at once from the file picked; the upload goes on behind it.
    await page.getByRole('navigation', { name: 'Settings' }).locator('img[src^="blob:"]').waitFor();

    // Ben's app reads profiles when it connects: it sees the photo once the upload is done.
    const photo = ben.chatRow('Ana').locator('img[src^="/media/"]');
    for (let attempt = 0; attempt < 20 && (await photo.count()) === 0; attempt++) {
      await ben.page.goto('/');
      await ben.chatRow('Ana').waitFor();
      await photo.waitFor({ timeout: 1_000 }).catch(() => undefined);
    }
    await photo.waitFor({ timeout: 1_000 });
    const loaded = await photo.evaluate((img) => (img as HTMLImageElement).naturalWidth);
    assert.equal(loaded, 256, 'scaled to 256 pixels before upload');
  });
});
