// The browser is a device of its own: what it holds survives a reload, and a second browser
// signed in with the same number becomes another device of the account, brought into the
// conversation's MLS group by a device already in it, and reads what is sent from then on.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { launchBrowser } from '../support/launch-browser.ts';
import { ParleyUser } from '../support/parley-user.ts';
import { saveScreenshot } from '../support/save-screenshot.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley();
const browser = await launchBrowser();

describe('devices', () => {
  let ana: ParleyUser;
  let ben: ParleyUser;

  before(async () => {
    ana = await ParleyUser.open(browser, parley, 'Ana', '+14155550201');
    await ana.signUp();
    ben = await ParleyUser.open(browser, parley, 'Ben', '+14155550202');
    await ben.signUp();
    await ana.startChatWith(ben);
    await ana.send('Before the reload');
    await ben.openChat('Ana');
    await ben.message('Before the reload').waitFor();
  });

  it('keeps history and keys across a reload', async () => {
    await ben.reload();
    await ben.openChat('Ana');
    await ben.message('Before the reload').waitFor();

    // The keys survived too: both directions still encrypt and decrypt.
    await ana.send('After the reload');
    await ben.message('After the reload').waitFor();
    await ben.send('Ben, reloaded');
    await ana.message('Ben, reloaded').waitFor();
  });

  it('links a second browser that reads new messages', async () => {
    const laptop = await ParleyUser.linkedDevice(browser, ben, 'Ben (laptop)');
    // A device already in the group adds the new one, which says so once it joined.
    await laptop.chatRow('Ana').waitFor();
    await laptop.openChat('Ana');
    await laptop
      .messages()
      .getByText(/before this device joined/)
      .waitFor({ timeout: 40_000 });
    assert.equal(await laptop.messages().getByText('Before the reload').count(), 0);
    await ana.send('For both of your devices');
    await laptop.message('For both of your devices').waitFor();
    await ben.message('For both of your devices').waitFor();
    await saveScreenshot(laptop.page, 'linked-device');

    // What the new device sends is read by the user's first device and by the contact.
    await laptop.send('Sent from the laptop');
    await ana.message('Sent from the laptop').waitFor();
    await ben.message('Sent from the laptop').waitFor();
    assert.equal(await ana.messages().getByText('Sent from the laptop').count(), 1);

    // Signed out from the first device, the laptop forgets everything and asks to sign in.
    await ben.page.getByRole('button', { name: 'Settings' }).first().click();
    await ben.page.getByRole('button', { name: /^Sign out Chrome/ }).click();
    await ben.page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
    await laptop.page.getByRole('textbox', { name: 'Phone number' }).waitFor();
    const databases = await laptop.page.evaluate(() => indexedDB.databases());
    assert.deepEqual(
      databases.filter((database) => database.name === 'parley'),
      [],
      'the laptop erased its keys and history',
    );
    await laptop.close();
  });

  it('signs this browser out from its own settings, and forgets everything', async () => {
    await ben.page.goto('/?view=settings');
    await ben.page.getByRole('button', { name: 'Sign out of this browser' }).click();
    await ben.page.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
    await ben.page.getByRole('textbox', { name: 'Phone number' }).waitFor();
    const databases = await ben.page.evaluate(() => indexedDB.databases());
    assert.equal(databases.filter((database) => database.name === 'parley').length, 0);
  });
});
