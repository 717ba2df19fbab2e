// Two people, each in a browser of their own, chatting through the real server: every message
// is encrypted in the sender's crypto worker and decrypted in the reader's, and what each of
// them sees (ticks, typing, online, reactions, replies, edits, deletions) is checked on screen.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { assertAccessible } from '../support/assert-accessible.ts';
import { launchBrowser } from '../support/launch-browser.ts';
import { ParleyUser } from '../support/parley-user.ts';
import { saveScreenshot } from '../support/save-screenshot.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley();
const browser = await launchBrowser();

describe('a conversation between two browsers', () => {
  let ana: ParleyUser;
  let ben: ParleyUser;

  before(async () => {
    ana = await ParleyUser.open(browser, parley, 'Ana', '+14155550101');
    await saveScreenshot(ana.page, 'sign-in');
    await assertAccessible(ana.page);
    await ana.signUp();
    ben = await ParleyUser.open(browser, parley, 'Ben', '+14155550102');
    await ben.signUp();
  });

  it('starts a chat by phone number and delivers the first message', async () => {
    await ana.startChatWith(ben);
    await ana.send('Hello Ben, this is Ana.');
    await ben.chatRow('Ana').getByText('Hello Ben, this is Ana.').waitFor();
    await saveScreenshot(ben.page, 'chat-list');
    await assertAccessible(ben.page);
  });

  it('moves the tick from sent to delivered to read', async () => {
    // Ben's device received it (delivered) while his chat list was open.
    await ana
      .tickOf('Hello Ben, this is Ana.')
      .and(ana.page.getByRole('img', { name: 'Delivered' }))
      .waitFor();
    await ben.openChat('Ana');
    await ana
      .tickOf('Hello Ben, this is Ana.')
      .and(ana.page.getByRole('img', { name: 'Read' }))
      .waitFor();
    await ben.message('Hello Ben, this is Ana.').waitFor();
  });

  it('shows the other person online and typing', async () => {
    await ana.status().filter({ hasText: 'online' }).waitFor();
    await ben.composer().pressSequentially('Typing something', { delay: 20 });
    await ana.status().filter({ hasText: 'typing…' }).waitFor();
    await ben.composer().press('Enter');
    await ana.message('Typing something').waitFor();
    await ana.status().filter({ hasText: 'online' }).waitFor();
  });

  it('reacts, replies, edits and deletes for everyone', async () => {
    await ana.messageAction('Typing something', 'React with thumbs up');
    await ben.message('Typing something').getByRole('button', { name: /👍/ }).waitFor();

    await ben.messageAction('Hello Ben, this is Ana.', 'Reply');
    await ben.send('A reply to you');
    const reply = ana.message('A reply to you');
    await reply.waitFor();
    assert.match((await reply.textContent()) ?? '', /Hello Ben, this is Ana\./);

    await ana.messageAction('Hello Ben, this is Ana.', 'Edit');
    await ana.composer().fill('Hello Ben, edited.');
    await ana.composer().press('Enter');
    await ben.message('Hello Ben, edited.').getByText('edited', { exact: true }).waitFor();

    await ana.send('This one goes away');
    await ben.message('This one goes away').waitFor();
    await ana.messageAction('This one goes away', 'Delete for everyone');
    await ana.page
      .getByRole('alertdialog')
      .or(ana.page.getByRole('dialog'))
      .getByRole('button', { name: /Delete/ })
      .click();
    await ben.messages().getByText('This message was deleted').waitFor();
    assert.equal(await ben.messages().getByText('This one goes away').count(), 0);
    await saveScreenshot(ben.page, 'conversation');
    await assertAccessible(ben.page);
  });

  it('announces a new message from the other person to screen readers', async () => {
    await ben.send('Can you hear this?');
    await ana.page.locator('[aria-live="polite"]').getByText('Ben: Can you hear this?').waitFor();
  });

  it('searches chats by name and messages by their text, on the device', async () => {
    const search = ana.page.getByRole('searchbox', { name: 'Search chats and messages' });
    await search.fill('reply to');
    const found = ana.page.getByRole('list', { name: 'Matching messages' });
    await found.getByText('A reply to you').waitFor();
    await search.fill('Ben');
    await ana.page.getByRole('list', { name: 'Matching chats' }).getByText('Ben').waitFor();
    await saveScreenshot(ana.page, 'search');
    await search.fill('');
  });

  it('shows last seen when the other person goes away, and hides it when they ask', async () => {
    await ben.page.goto('about:blank');
    await ana
      .status()
      .filter({ hasText: /^last seen today at / })
      .waitFor();

    // Ben hides his last seen and online status; Ana no longer sees either.
    await ben.page.goto('/?view=settings');
    await ben.page.getByLabel('Who can see my last seen').selectOption('NOBODY');
    await ben.page.getByLabel('Who can see when I’m online').selectOption('NOBODY');
    await ben.page
      .getByLabel('Who can see my last seen')
      .and(ben.page.locator(':enabled'))
      .waitFor();
    await ben.page.goto('about:blank');
    await ana.page.reload();
    await ana.openChat('Ben');
    await ana.message('Can you hear this?').waitFor();
    // The status above showed within moments of opening; give this one as long, twice over.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(await ana.status().count(), 0, 'no status line at all');
  });

  it('ran everything within the Content-Security-Policy', () => {
    assert.deepEqual([...ana.blocked, ...ben.blocked], []);
  });
});
