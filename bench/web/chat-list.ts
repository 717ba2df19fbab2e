// Audit-only. `pnpm --filter @parley/bench chat-list`: how long the web app takes, from opening
// to a readable chat list, on a device that holds 1,000 messages; and how long it takes to
// catch up on 1,000 messages that arrived while it was closed. One browser (Debian's Chromium)
// reads; a scripted second user (the API's test client) writes. The server runs in process on
// the embedded default, as `pnpm start` runs it. Numbers are printed and written to
// bench/results/, not asserted: they move with the machine's load.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConfig } from '@parley/api/src/config.ts';
import { createLogger } from '@parley/api/src/logger.ts';
import { startParleyServer } from '@parley/api/src/server.ts';
import { chromium, type Page } from 'playwright-core';

import { CodeInbox } from '../../e2e/support/code-inbox.ts';
import { chromiumFlags, chromiumPath } from '../../e2e/support/launch-browser.ts';
import { ParleyUser } from '../../e2e/support/parley-user.ts';
import { firstGroupOf, scriptedUser } from '../../e2e/support/scripted-user.ts';
import { ensureWebBuild } from '../../scripts/web-build.mjs';

const messages = Number(process.env.MESSAGES ?? 1000);
const opens = 5;
const webRoot = fileURLToPath(new URL('../../apps/web/out', import.meta.url));
const resultsFolder = fileURLToPath(new URL('../results/', import.meta.url));

ensureWebBuild();
const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-chat-list-'));
const codes = new CodeInbox();
const config = loadConfig({
  PORT: '0',
  DATA_DIR: dataDir,
  WEB_ROOT: webRoot,
  LOG_LEVEL: 'silent',
});
const server = await startParleyServer({
  config,
  codeSender: codes,
  logger: createLogger('silent'),
  limits: {
    // One writer sends a thousand messages as fast as it can.
    sendsPerDevice: { limit: 1_000_000, windowMs: 1_000 },
  },
});
const browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumFlags] });

try {
  // The reader: a browser that signs up through the app, as the e2e tests drive it.
  const parley = { url: server.url, codes, server, close: () => server.close() };
  const reader = await ParleyUser.open(browser, parley, 'Reader', '+14155550901');
  await reader.signUp();
  const { context } = reader;
  let page = reader.page;

  // The writer: a second user with an MLS client, whom the reader starts a chat with.
  const writer = await scriptedUser(server, codes, '+14155550902', 'Writer');
  await reader.startChatWith(writer.account);
  const conversationId = await firstGroupOf(writer);

  // 1. A thousand messages while the app is open: stored, decrypted, listed as they come.
  const liveStart = performance.now();
  for (let i = 1; i <= messages; i++) await writer.sendText(conversationId, `Message ${i}`);
  await lastMessageShown(page, messages);
  const liveMs = performance.now() - liveStart;

  // 2. Opening the app on a device that holds them: navigation to a readable chat list.
  await page.goto('/');
  const chatList: number[] = [];
  const conversation: number[] = [];
  for (let i = 0; i < opens; i++) {
    await page.reload();
    await page
      .getByRole('navigation', { name: 'Chats' })
      .getByText(`Message ${messages}`)
      .waitFor();
    chatList.push(await markTime(page, 'parley:chat-list-shown'));
    const clicked = await page.evaluate(() => performance.now());
    await page
      .getByRole('navigation', { name: 'Chats' })
      .getByRole('button')
      .filter({ hasText: 'Writer' })
      .click();
    await page.locator('.bubble__text', { hasText: `Message ${messages}` }).waitFor();
    conversation.push((await page.evaluate(() => performance.now())) - clicked);
    await page.goto('/');
  }

  // 3. Another thousand while the app is closed, then opened: the list shows what the device
  // held at once, and the backlog is decrypted after it.
  await page.close();
  for (let i = messages + 1; i <= 2 * messages; i++) {
    await writer.sendText(conversationId, `Message ${i}`);
  }
  page = await context.newPage();
  const reopenStart = Date.now();
  await page.goto('/');
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByRole('button')
    .filter({ hasText: 'Writer' })
    .waitFor();
  const backlogListed = await markTime(page, 'parley:chat-list-shown');
  await lastMessageShown(page, 2 * messages);
  const backlogMs = Date.now() - reopenStart;

  const result = {
    at: new Date().toISOString(),
    messages,
    liveMessagesPerSecond: Math.round((messages / liveMs) * 1000),
    chatListShownMs: summary(chatList),
    conversationShownMs: summary(conversation),
    afterBacklog: { chatListShownMs: Math.round(backlogListed), caughtUpMs: backlogMs },
  };
  console.log(JSON.stringify(result, null, 2));
  await mkdir(resultsFolder, { recursive: true });
  await writeFile(
    path.join(resultsFolder, 'chat-list-latest.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  await writer.close();
} finally {
  await browser.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}

async function lastMessageShown(page: Page, n: number): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Chats' })
    .getByText(`Message ${n}`, { exact: true })
    .waitFor({ timeout: 300_000 });
}

async function markTime(page: Page, name: string): Promise<number> {
  return page.evaluate(async (mark) => {
    for (let i = 0; i < 100; i++) {
      const entry = performance.getEntriesByName(mark)[0];
      if (entry) return entry.startTime;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no ${mark} mark`);
  }, name);
}

function summary(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: Math.round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN),
    min: Math.round(sorted[0] ?? Number.NaN),
    max: Math.round(sorted.at(-1) ?? Number.NaN),
  };
}
