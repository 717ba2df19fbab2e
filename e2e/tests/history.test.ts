// A long conversation: the newest page opens first, scrolling up loads older messages down to the
// very first, and after a while away the app offers a jump to the first unread message and
// marks where the unread ones begin. The other side is a scripted client (the API's MLS test
// client), so that a few hundred messages take seconds.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import type { MlsDevice } from '@parley/api/test/support/mls-device.ts';

import { launchBrowser } from '../support/launch-browser.ts';
import { ParleyUser } from '../support/parley-user.ts';
import { firstGroupOf, scriptedUser } from '../support/scripted-user.ts';
import { startParley } from '../support/start-parley.ts';

const parley = await startParley({
  limits: { sendsPerDevice: { limit: 100_000, windowMs: 1_000 } },
});
const browser = await launchBrowser();

describe('a long history', () => {
  let ana: ParleyUser;
  let ben: MlsDevice;
  let conversationId: string;

  before(async () => {
    ana = await ParleyUser.open(browser, parley, 'Ana', '+14155550601');
    await ana.signUp();
    ben = await scriptedUser(parley.server, parley.codes, '+14155550602', 'Ben');
    await ana.startChatWith({ phoneNumber: '+14155550602' });
    conversationId = await firstGroupOf(ben);
    for (let i = 1; i <= 150; i++) await ben.sendText(conversationId, `Line ${i}`);
    await ana.message('Line 150').waitFor();
  });

  it('opens on the newest messages and loads older ones while scrolling up', async () => {
    assert.equal(await ana.messages().getByText('Line 1', { exact: true }).count(), 0);
    const scroller = ana.messages();
    for (let i = 0; i < 20; i++) {
      if ((await ana.messages().getByText('Line 1', { exact: true }).count()) > 0) break;
      await scroller.evaluate((element) => {
        element.scrollTop = 0;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await ana.message('Line 1').waitFor();
  });

  it('offers a jump to the first unread message after a while away', async () => {
    await ana.page.goto('/');
    await ana.chatRow('Ben').waitFor();
    for (let i = 151; i <= 260; i++) await ben.sendText(conversationId, `Line ${i}`);
    await ana.chatRow('Ben').getByText('Line 260').waitFor();
    await ana
      .chatRow('Ben')
      .getByText('110 unread', { exact: false })
      .or(ana.chatRow('Ben').getByText('110'))
      .first()
      .waitFor();

    await ana.openChat('Ben');
    await ana.message('Line 260').waitFor();
    await ana.page.getByRole('button', { name: 'Jump to first unread' }).click();
    await ana.message('Line 151').waitFor();
    await ana.messages().getByText('New messages', { exact: false }).first().waitFor();
  });
});
