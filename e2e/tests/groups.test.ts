// A group of three browsers: it is named inside the encryption (the server stores no title),
// every member sees who wrote what, and a message counts as read once all have read it.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { assertAccessible } from '../support/assert-accessible.ts';
import { launchBrowser } from '../support/launch-browser.ts';
import { ParleyUser } from '../support/parley-user.ts';
import { saveScreenshot } from '../support/save-screenshot.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley();
const browser = await launchBrowser();

describe('a group chat', () => {
  let ana: ParleyUser;
  let ben: ParleyUser;
  let cleo: ParleyUser;

  before(async () => {
    ana = await ParleyUser.open(browser, parley, 'Ana', '+14155550701');
    await ana.signUp();
    ben = await ParleyUser.open(browser, parley, 'Ben', '+14155550702');
    await ben.signUp();
    cleo = await ParleyUser.open(browser, parley, 'Cleo', '+14155550703');
    await cleo.signUp();
  });

  it('is created with a name that only its members can read', async () => {
    await ana.page.getByRole('button', { name: 'New chat' }).first().click();
    await ana.page.getByRole('dialog').getByRole('button', { name: 'New group' }).click();
    const dialog = ana.page.getByRole('dialog', { name: 'New group' });
    await dialog.getByRole('textbox', { name: 'Group name' }).fill('Weekend trip');
    await dialog
      .getByRole('textbox', { name: 'Members’ phone numbers' })
      .fill(`${ben.phoneNumber}\n${cleo.phoneNumber}`);
    await saveScreenshot(ana.page, 'new-group');
    await assertAccessible(ana.page);
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await ana.composer().waitFor();

    await ben.chatRow('Weekend trip').waitFor();
    await cleo.chatRow('Weekend trip').waitFor();
    const rows = await parley.server.deps.db.sql.query<{ title: string | null }>(
      'SELECT title FROM conversations WHERE kind = $1',
      ['GROUP'],
    );
    assert.deepEqual(rows, [{ title: null }], 'the server stores no name');
  });

  it('shows every member who wrote what, and reads as read once all have read', async () => {
    await ana.send('Who is bringing the tent?');
    await ben.openChat('Weekend trip');
    const asked = ben.message('Who is bringing the tent?');
    await asked.waitFor();
    assert.match((await asked.textContent()) ?? '', /Ana/);

    await ana
      .tickOf('Who is bringing the tent?')
      .and(ana.page.getByRole('img', { name: 'Delivered' }))
      .waitFor();
    assert.equal(
      await ana
        .tickOf('Who is bringing the tent?')
        .and(ana.page.getByRole('img', { name: 'Read' }))
        .count(),
      0,
      'not read while Cleo has not opened the group',
    );
    await cleo.openChat('Weekend trip');
    await cleo.send('I am!');
    await ana
      .tickOf('Who is bringing the tent?')
      .and(ana.page.getByRole('img', { name: 'Read' }))
      .waitFor();

    const answer = ben.message('I am!');
    await answer.waitFor();
    assert.match((await answer.textContent()) ?? '', /Cleo/);
    await saveScreenshot(ben.page, 'group-conversation');
    await assertAccessible(ben.page);
  });
});
