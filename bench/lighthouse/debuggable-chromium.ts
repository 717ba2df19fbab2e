// Audit-only. Debian's Chromium with its DevTools port open on loopback, for Lighthouse and for
// the installability check to attach to. Chromium picks the port itself (port 0) and writes it
// to DevToolsActivePort in its profile folder, which avoids racing another process for one.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The same browser and flags as the e2e tests'.
import { chromiumFlags, chromiumPath } from '../../e2e/support/launch-browser.ts';
import { sleep } from '../src/clock.js';

export { chromiumPath };

export type DebuggableChromium = {
  /** The DevTools port on 127.0.0.1. */
  readonly port: number;
  stop(): Promise<void>;
};

export async function launchDebuggableChromium(): Promise<DebuggableChromium> {
  const profile = await mkdtemp(path.join(tmpdir(), 'parley-audit-chromium-'));
  const child = spawn(
    chromiumPath,
    [
      ...chromiumFlags,
      '--remote-debugging-address=127.0.0.1',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4_000);
  });
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );

  const stop = async () => {
    if (running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(profile, { recursive: true, force: true });
  };

  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && running) {
    const written = await readFile(path.join(profile, 'DevToolsActivePort'), 'utf8').catch(
      () => '',
    );
    const port = Number(written.split('\n')[0]);
    if (port > 0) return { port, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`Chromium did not open its DevTools port:\n${errors}`);
}
