// The embedded default: with no configuration at all, the start command brings up the whole API
// from an empty folder (PGlite on disk, in-process bus), serves a message round trip, drains on
// SIGTERM, and finds its data again on the next start.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import type { ParleyServer } from '../src/server.js';
import { ok, send, sendMutation, subscribe } from './support/harness.js';

const mainScript = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');

type Running = {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
};

/** Starts `src/main.ts` in `folder` with an empty environment but for PATH and a free port. */
async function startMain(folder: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', tsxLoader, mainScript], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? '', PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${output}`)), 30_000);
    const check = () => {
      const match = /Parley is running at (http:\/\/\S+) /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`exited before starting:\n${output}`)));
  });
  return { child, url, output: () => output, exited };
}

function asServer(url: string): ParleyServer {
  return { url } as ParleyServer;
}

async function signUpThroughConsole(running: Running, phoneNumber: string) {
  const server = asServer(running.url);
  await ok(
    server,
    'mutation($p: String!) { requestVerificationCode(input: { phoneNumber: $p }) { phoneNumber } }',
    { p: phoneNumber },
  );
  const match = new RegExp(`code for \\${phoneNumber}: (\\d{6})`).exec(running.output());
  assert.ok(match, 'the console sender printed the code');
  const data = await ok(
    server,
    `mutation($p: String!, $c: String!) {
      verifyCode(input: { phoneNumber: $p, code: $c, deviceName: "embedded" }) {
        token user { id } device { id }
      }
    }`,
    { p: phoneNumber, c: match[1] },
  );
  return {
    token: data.verifyCode.token as string,
    userId: data.verifyCode.user.id as string,
    deviceId: data.verifyCode.device.id as string,
    phoneNumber,
  };
}

describe('the embedded default', () => {
  const folders: string[] = [];
  after(async () => {
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  it('starts from nothing, serves a round trip, drains on SIGTERM and restarts', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'parley-embedded-'));
    folders.push(folder);
    const first = await startMain(folder);
    try {
      assert.deepEqual(await readdir(folder), ['data'], 'data lives in ./data');
      const health = await fetch(`${first.url}/readyz`);
      assert.equal(health.status, 200);

      const alice = await signUpThroughConsole(first, '+14155550181');
      const bob = await signUpThroughConsole(first, '+14155550182');
      const server = asServer(first.url);
      const started = await ok(
        server,
        'mutation($u: ID!) { startDirectConversation(input: { userId: $u }) { id } }',
        { u: bob.userId },
        alice.token,
      );
      const conversationId = started.startDirectConversation.id as string;
      const bobEvents = await subscribe(server, bob.token);
      await send(server, alice, conversationId, 'embedded hello');
      const received = await bobEvents.waitFor((event) => event.__typename === 'MessageEvent');
      assert.equal(Buffer.from(received.message.ciphertext, 'base64').toString(), 'embedded hello');

      // SIGTERM: sockets are told the server is going away, and the process exits cleanly.
      first.child.kill('SIGTERM');
      assert.equal((await bobEvents.closed).code, 1001);
      assert.equal(await first.exited, 0);
      assert.doesNotMatch(first.output(), /pdt_|embedded hello/, 'no tokens or bodies in logs');

      const second = await startMain(folder);
      try {
        const history = await ok(
          asServer(second.url),
          `query($c: ID!) { conversation(id: $c) { messages(last: 5) { edges { node
            { seq ciphertext } } } } }`,
          { c: conversationId },
          bob.token,
        );
        const edges = history.conversation.messages.edges;
        assert.equal(edges.length, 1);
        assert.equal(Buffer.from(edges[0].node.ciphertext, 'base64').toString(), 'embedded hello');
        const again = await ok(
          asServer(second.url),
          sendMutation,
          {
            c: conversationId,
            id: 'after-restart',
            b: Buffer.from('still here').toString('base64'),
          },
          alice.token,
        );
        assert.equal(again.sendMessage.message.seq, 2);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
    }
  });

  it('refuses to start with invalid configuration, naming each problem', async () => {
    const child = spawn(process.execPath, ['--import', tsxLoader, mainScript], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', DATABASE_URL: 'mysql://nope' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 78);
    assert.match(stderr, /PORT/);
    assert.match(stderr, /DATABASE_URL/);
  });
});
