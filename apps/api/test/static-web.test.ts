// The web app is served from the API's own origin: pages by their clean URLs, files with the
// types browsers insist on, hashed assets cached for good and the rest revalidated, nothing
// outside the app's folder, and the API's own paths left to the API.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import { createLogger } from '../src/logger.js';
import { openStaticWeb } from '../src/http/static-web.js';
import { startCluster } from './support/harness.js';

const bundle = `console.log(${JSON.stringify('parley '.repeat(400))});\n`;

const files: Record<string, string> = {
  'index.html': '<!doctype html><title>Parley</title><h1>home</h1>',
  'chat.html': '<!doctype html><title>Chat</title>',
  'settings/index.html': '<!doctype html><title>Settings</title>',
  '404.html': '<!doctype html><title>Not here</title>',
  '_next/static/chunks/app-3f2a.js': bundle,
  '_next/static/css/app-91bc.css': 'body { margin: 0; }',
  '_next/static/media/font-1a.woff2': 'wOF2',
  '_next/static/chunks/app-3f2a.js.map': '{"version":3}',
  'manifest.webmanifest': '{"name":"Parley"}',
  'sw.js': 'self.addEventListener("push", () => {});',
  'icons/icon-192.png': 'png',
  'icons/mark.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'favicon.ico': 'ico',
  'index.txt': 'rsc payload',
  'data.json': '{}',
  '.env': 'SECRET=in-the-root',
};

// The app's folder sits inside another one that holds a secret, as DATA_DIR sits beside it.
const outer = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
const root = path.join(outer, 'out');
await writeFile(path.join(outer, 'secret.txt'), 'SECRET=beside-the-root');
for (const [name, content] of Object.entries(files)) {
  await mkdir(path.dirname(path.join(root, name)), { recursive: true });
  await writeFile(path.join(root, name), content);
}
const cluster = await startCluster({ env: { WEB_ROOT: root } });
const server = cluster.servers[0]!;

after(() => rm(outer, { recursive: true, force: true }));

describe('pages', () => {
  it('serves index.html at / with the security headers and no long-lived cache', async () => {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    // Scripts, connections and workers only from the app's own origin.
    const policy = response.headers.get('content-security-policy') ?? '';
    assert.match(policy, /script-src 'self' 'unsafe-inline'(;|$)/);
    assert.match(policy, /connect-src 'self'(;|$)/);
    assert.match(policy, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.match(await response.text(), /<h1>home<\/h1>/);
  });

  it('serves /chat from chat.html and /settings from settings/index.html', async () => {
    assert.match(await (await fetch(`${server.url}/chat`)).text(), /<title>Chat/);
    assert.match(await (await fetch(`${server.url}/settings`)).text(), /<title>Settings/);
    assert.match(await (await fetch(`${server.url}/settings/`)).text(), /<title>Settings/);
  });

  it('answers unknown paths with 404.html and status 404', async () => {
    for (const missing of ['/nowhere', '/_next/static/chunks/gone.js', '/icons/']) {
      const response = await fetch(`${server.url}${missing}`);
      assert.equal(response.status, 404, missing);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.match(await response.text(), /Not here/);
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await fetch(`${server.url}/chat`, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-length'), String(files['chat.html']!.length));
    assert.equal(await response.text(), '');
  });
});

describe('files', () => {
  const expected: [string, string][] = [
    ['/_next/static/chunks/app-3f2a.js', 'text/javascript; charset=utf-8'],
    ['/_next/static/css/app-91bc.css', 'text/css; charset=utf-8'],
    ['/_next/static/media/font-1a.woff2', 'font/woff2'],
    ['/_next/static/chunks/app-3f2a.js.map', 'application/json; charset=utf-8'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['/sw.js', 'text/javascript; charset=utf-8'],
    ['/icons/icon-192.png', 'image/png'],
    ['/icons/mark.svg', 'image/svg+xml'],
    ['/favicon.ico', 'image/x-icon'],
    ['/index.txt', 'text/plain; charset=utf-8'],
    ['/data.json', 'application/json; charset=utf-8'],
  ];
  for (const [file, type] of expected) {
    it(`serves ${file} as ${type}`, async () => {
      const response = await fetch(`${server.url}${file}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), type);
      await response.arrayBuffer();
    });
  }

  it('lets browsers keep hashed assets for a year, and revalidate the rest', async () => {
    const asset = await fetch(`${server.url}/_next/static/css/app-91bc.css`);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    for (const file of ['/sw.js', '/manifest.webmanifest', '/icons/icon-192.png']) {
      const response = await fetch(`${server.url}${file}`);
      assert.equal(response.headers.get('cache-control'), 'no-cache', file);
      await response.arrayBuffer();
    }
    await asset.arrayBuffer();
  });
});

describe('revalidation', () => {
  it('answers 304 to a matching If-None-Match', async () => {
    const first = await fetch(`${server.url}/chat`);
    const etag = first.headers.get('etag');
    assert.ok(etag);
    await first.arrayBuffer();
    const again = await fetch(`${server.url}/chat`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const other = await fetch(`${server.url}/chat`, { headers: { 'if-none-match': 'W/"x"' } });
    assert.equal(other.status, 200);
    await other.arrayBuffer();
  });

  it('answers 304 to If-Modified-Since at or after the last modification', async () => {
    const first = await fetch(`${server.url}/`);
    const modified = first.headers.get('last-modified');
    assert.ok(modified);
    await first.arrayBuffer();
    const again = await fetch(`${server.url}/`, { headers: { 'if-modified-since': modified } });
    assert.equal(again.status, 304);
    const older = new Date(Date.parse(modified) - 60_000).toUTCString();
    const stale = await fetch(`${server.url}/`, { headers: { 'if-modified-since': older } });
    assert.equal(stale.status, 200);
    await stale.arrayBuffer();
  });
});

describe('compression', () => {
  const asset = '/_next/static/chunks/app-3f2a.js';

  it('sends brotli when accepted, and the same bytes once decompressed', async () => {
    const response = await rawRequest(asset, 'gzip, deflate, br');
    assert.equal(response.headers['content-encoding'], 'br');
    assert.equal(response.headers.vary, 'Accept-Encoding');
    assert.ok(response.body.length < bundle.length / 4);
    assert.equal(brotliDecompressSync(response.body).toString(), bundle);
  });

  it('sends gzip to a client without brotli, and plain bytes to one without either', async () => {
    const gzipped = await rawRequest(asset, 'gzip');
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gzipped.body).toString(), bundle);
    const plain = await rawRequest(asset, 'identity');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), bundle);
  });

  it('gives each encoding its own validator', async () => {
    const brotli = await rawRequest(asset, 'br');
    const plain = await rawRequest(asset, 'identity');
    assert.notEqual(brotli.headers.etag, plain.headers.etag);
  });

  it('leaves small files and images uncompressed', async () => {
    for (const file of ['/chat', '/icons/icon-192.png']) {
      const response = await rawRequest(file, 'br, gzip');
      assert.equal(response.headers['content-encoding'], undefined, file);
    }
  });
});

describe('paths outside the app', () => {
  const attempts = [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/_next/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/icons/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/secret.txt%00.html',
    '/%E0%A4%A',
    '/.env',
    '/icons/..%2f.env',
  ];
  for (const attempt of attempts) {
    it(`never serves a file for ${attempt}`, async () => {
      const response = await rawRequest(attempt);
      assert.equal(response.status, 404);
      assert.doesNotMatch(response.body.toString(), /SECRET=/);
    });
  }
});

describe("the API's own paths", () => {
  it('still reach GraphQL, health and media', async () => {
    const graphiql = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    assert.match(await graphiql.text(), /<title>Parley API<\/title>/);
    const health = await fetch(`${server.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const media = await fetch(`${server.url}/media/not-an-id`);
    assert.equal(media.status, 400);
    await media.arrayBuffer();
  });

  it('are not shadowed by a file of the same name in the app', async () => {
    await writeFile(path.join(root, 'healthz'), 'shadow');
    const health = await fetch(`${server.url}/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
  });

  it('leave other methods to the API', async () => {
    const response = await fetch(`${server.url}/chat`, { method: 'POST', body: 'x' });
    assert.equal(response.status, 404);
    assert.doesNotMatch(await response.text(), /Chat/);
  });
});

describe('without a built app', () => {
  const log = createLogger('silent');

  it('starts the API alone when the default folder is missing', async () => {
    const missing = path.join(tmpdir(), 'parley-no-such-export');
    assert.equal(await openStaticWeb({ root: missing, required: false, log }), undefined);
  });

  it('refuses to start when WEB_ROOT names a folder without index.html', async () => {
    await assert.rejects(
      openStaticWeb({ root: path.join(tmpdir(), 'parley-no-such-export'), required: true, log }),
      /WEB_ROOT .* holds no index\.html/,
    );
  });
});

/**
 * A GET with its path exactly as written (fetch would normalize it first) and its body left
 * encoded (fetch would decode it).
 */
function rawRequest(
  file: string,
  acceptEncoding = 'identity',
): Promise<{ status: number; headers: Record<string, string | undefined>; body: Buffer }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, path: file, headers: { 'accept-encoding': acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string | undefined>,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
