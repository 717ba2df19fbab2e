// Audit-only. Whether Chromium would offer to install the app, asked the browser itself:
// Lighthouse 12 dropped its PWA category, and with it the installable-manifest audit.
import { CdpConnection } from './cdp-connection.js';

export type InstallabilityError = {
  readonly errorId: string;
  readonly errorArguments: readonly { name: string; value: string }[];
};

/** Opens `url` in a new tab of the browser at `port` and returns Chromium's objections. */
export async function installabilityErrors(
  port: number,
  url: string,
): Promise<readonly InstallabilityError[]> {
  const cdp = await CdpConnection.connect(port);
  try {
    const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', {
      url: 'about:blank',
    });
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    await cdp.send('Page.enable', {}, sessionId);
    const loaded = cdp.once('Page.loadEventFired', sessionId, 30_000);
    await cdp.send('Page.navigate', { url }, sessionId);
    await loaded;

    const { installabilityErrors } = await cdp.send<{
      installabilityErrors: InstallabilityError[];
    }>('Page.getInstallabilityErrors', {}, sessionId);
    await cdp.send('Target.closeTarget', { targetId });
    return installabilityErrors;
  } finally {
    cdp.close();
  }
}
