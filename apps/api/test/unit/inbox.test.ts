// The queue between the bus and one subscription.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { closed, Inbox, InboxOverflowError } from '../../src/realtime/inbox.js';

describe('an inbox', () => {
  it('hands items over in order, to a waiting reader or later', async () => {
    const inbox = new Inbox<number>(10);
    const waiting = inbox.take();
    inbox.push(1);
    inbox.push(2);
    inbox.push(3);
    assert.equal(await waiting, 1);
    assert.equal(await inbox.take(), 2);
    assert.equal(await inbox.take(), 3);
  });

  it('wakes a waiting reader when closed', async () => {
    const inbox = new Inbox<number>(10);
    const waiting = inbox.take();
    inbox.close();
    assert.equal(await waiting, closed);
    inbox.push(4);
    assert.equal(await inbox.take(), closed);
  });

  it('fails instead of growing without bound when its reader falls behind', async () => {
    const inbox = new Inbox<number>(2);
    inbox.push(1);
    inbox.push(2);
    inbox.push(3);
    await assert.rejects(inbox.take(), InboxOverflowError);
  });
});
