// Bundles the two scripts that Next.js does not build. The crypto worker, which runs
// @parley/crypto off the main thread, goes to public/ before `next build`, which copies it
// into the export. The service worker goes into the export after it (`--service-worker`),
// because it precaches the files of that very build. `next dev` gets one that caches nothing.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.env.NODE_ENV !== 'development';
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: production,
  sourcemap: production ? false : 'inline',
  logLevel: 'warning',
};

if (process.argv.includes('--service-worker')) {
  const out = path.join(root, 'out');
  const precache = await shellFiles(out);
  await build({
    ...common,
    entryPoints: ['src/service-worker/sw.ts'],
    outfile: 'out/sw.js',
    define: { __PRECACHE__: JSON.stringify(precache) },
  });
} else {
  await build({
    ...common,
    entryPoints: ['src/worker/crypto-worker.ts'],
    outfile: 'public/crypto-worker.js',
  });
  await build({
    ...common,
    entryPoints: ['src/service-worker/sw.ts'],
    outfile: 'public/sw.js',
    define: { __PRECACHE__: JSON.stringify({ version: 'dev', files: [] }) },
  });
}

// The shell: the page, its scripts and styles, the crypto worker, the manifest and icons. The
// version is a hash of their contents, so a new build replaces the old cache as a whole.
async function shellFiles(out) {
  const files = ['/'];
  const hash = createHash('sha256');
  for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const url = `/${path.relative(out, file).split(path.sep).join('/')}`;
    const wanted =
      url.startsWith('/_next/static/') ||
      url.startsWith('/icons/') ||
      url === '/crypto-worker.js' ||
      url === '/manifest.webmanifest';
    if (!wanted) continue;
    files.push(url);
    hash.update(url).update(await readFile(file));
  }
  hash.update(await readFile(path.join(out, 'index.html')));
  return { version: hash.digest('hex').slice(0, 16), files: files.sort() };
}
