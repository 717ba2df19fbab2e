// Messages written with no network wait in the outbox, shown as sending, and go out when the
// network returns: each delivered once, in the order written.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { launchBrowser } from '../support/launch-browser.ts';
import { ParleyUser } from '../support/parley-user.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley();
const browser = await launchBrowser();

describe('offline', () => {
  let ana: ParleyUser;
  let ben: ParleyUser;

  before(async () => {
    ana = await ParleyUser.open(browser, parley, 'Ana', '+14155550301');
    await ana.signUp();
    ben = await ParleyUser.open(browser, parley, 'Ben', '+14155550302');
    await ben.signUp();
    await ana.startChatWith(ben);
    await ana.send('Online first');
    await ben.openChat('Ana');
    await ben.message('Online first').waitFor();
  });

  it('sends what was written offline once, in order, when the network returns', async () => {
    await ana.context.setOffline(true);
    const written = ['Offline one', 'Offline two', 'Offline three'];
    for (const text of written) await ana.send(text);
    for (const text of written) {
      await ana
        .tickOf(text)
        .and(ana.page.getByRole('img', { name: 'Sending' }))
        .waitFor();
    }
    assert.equal(await ben.messages().getByText('Offline one').count(), 0);

    await ana.context.setOffline(false);
    await ben.message('Offline three').waitFor({ timeout: 30_000 });
    const texts = await ben.messages().locator('[data-message-id] .bubble__text').allInnerTexts();
    const arrived = texts
      .map((text) => text.split('\n')[0]?.trim())
      .filter((text) => text?.startsWith('Offline'));
    assert.deepEqual(arrived, written);
    for (const text of written) {
      await ana
        .tickOf(text)
        .and(ana.page.getByRole('img', { name: /Sent|Delivered|Read/ }))
        .waitFor();
    }
  });

  it('opens the app shell and the history with no network at all', async () => {
    await ben.context.setOffline(true);
    await ben.page.reload();
    await ben.openChat('Ana');
    await ben.message('Offline three').waitFor();
    await ben.context.setOffline(false);
  });
});
