// Test-only. Screenshots for people to look at after a run (CI keeps e2e/artifacts); tests do not
// compare them.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Page } from 'playwright-core';

export const screenshotFolder = fileURLToPath(new URL('../artifacts/screenshots', import.meta.url));

/** Saves the whole page as e2e/artifacts/screenshots/<name>.png and returns the file's path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) {
    throw new Error(`A screenshot name is letters, digits, "-", "_" and "."; got "${name}".`);
  }
  await mkdir(screenshotFolder, { recursive: true });
  const file = path.join(screenshotFolder, `${name}.png`);
  // The app fills the viewport and scrolls inside its panes: the viewport is the whole screen.
  await page.screenshot({ path: file });
  return file;
}
