// Builds the web app's static export when it is missing or older than what it is built from,
// for `pnpm start`, `pnpm test` and the Lighthouse audit, which all serve apps/web/out. A full
// Next.js build takes a minute, so an export newer than every source file is used as it is.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
export const webOutDir = path.join(repositoryRoot, 'apps/web/out');

// What the export is built from. The two workers in public/ are written by the build itself
// (scripts/build-workers.mjs), so their times say nothing about the sources.
const sources = [
  'apps/web/src',
  'apps/web/public',
  'apps/web/scripts',
  'apps/web/next.config.ts',
  'apps/web/package.json',
  'packages/crypto/src',
];
const generated = new Set(['apps/web/public/sw.js', 'apps/web/public/crypto-worker.js']);

/** The newest modification time, in milliseconds, of any file at or under `entry`. */
function newestMtime(entry) {
  const absolute = path.join(repositoryRoot, entry);
  let stats;
  try {
    stats = statSync(absolute);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return generated.has(entry) ? 0 : stats.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(absolute)) {
    newest = Math.max(newest, newestMtime(path.posix.join(entry, name)));
  }
  return newest;
}

/**
 * Why the export needs building, or undefined when out/index.html is newer than every source.
 * @returns {string | undefined}
 */
export function webBuildStaleness() {
  let built;
  try {
    built = statSync(path.join(webOutDir, 'index.html')).mtimeMs;
  } catch {
    return 'apps/web/out/index.html does not exist';
  }
  const changed = sources.find((entry) => newestMtime(entry) > built);
  return changed && `${changed} changed after the last build`;
}

/**
 * Runs pnpm with these arguments, synchronously. Under `pnpm start` or `npx pnpm@12 start`,
 * the pnpm that runs the script is the one used (its entry point is in npm_execpath), so no
 * global pnpm is needed; otherwise `pnpm` from the PATH.
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} options
 */
export function runPnpm(args, options) {
  const entry = process.env.npm_execpath;
  if (!entry || !/pnpm/.test(entry)) return spawnSync('pnpm', args, options);
  // pnpm 12 is one executable; earlier lines ran as a script under Node.
  return /\.[cm]?js$/.test(entry)
    ? spawnSync(process.execPath, [entry, ...args], options)
    : spawnSync(entry, args, options);
}

/**
 * Runs `pnpm --filter @parley/web build` if the export is stale, and throws if that fails.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {boolean} whether a build ran
 */
export function ensureWebBuild(options = {}) {
  const log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  const reason = webBuildStaleness();
  if (!reason) return false;

  log(`Building the web app (${reason})...`);
  const result = runPnpm(['--filter', '@parley/web', 'build'], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    throw new Error(
      `Building the web app failed (${result.error?.message ?? `exit ${result.status}`}); ` +
        'run `pnpm --filter @parley/web build` to see why.',
    );
  }
  return true;
}
