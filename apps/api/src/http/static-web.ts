// Server-only. Serves the exported web app (apps/web/out) on the API's own origin, so that the
// app, GraphQL, WebSockets and media share one origin: no CORS, and the WebSocket origin check
// passes with no configuration. The export is immutable between deploys, which the caching
// below relies on: hashed assets are cached for a year, everything else is revalidated.
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';

import type { Logger } from '../logger.js';
import { CompressedBodies, type Encoding, preferredEncoding } from './compressed-bodies.js';
import { fileTypeOf } from './content-type.js';
import { webPathCandidates } from './web-path.js';

/** Paths the API answers itself; everything else that is a GET or HEAD belongs to the app. */
const apiPaths = ['/graphql', '/healthz', '/readyz', '/media'];

// Next.js puts a content hash in every file name under /_next/static, so a changed file is a
// new URL and the old one may be cached for good.
const immutablePrefix = '/_next/static/';

// Below this size a compressed response saves less than its extra headers and CPU cost.
const smallestCompressedBytes = 1024;

// What the app's pages may load and talk to: only this origin. The device's keys live in the
// origin's IndexedDB, so a script that got in must have nowhere to send them and nowhere to load
// more code from. Next.js's export starts its runtime with inline scripts, hence 'unsafe-inline'
// for scripts; data: and blob: images are the QR code and a photo's preview.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // Keeps other windows (a page that opened Parley, or one Parley opened) from scripting it.
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy': contentSecurityPolicy,
} as const;

export type StaticWebOptions = {
  /** The folder of the export, holding index.html. */
  readonly root: string;
  /** Set when the folder was configured explicitly: then its absence stops the server. */
  readonly required: boolean;
  readonly log: Logger;
};

export type StaticWeb = {
  readonly root: string;
  /** Answers the request and returns true when it is the app's; returns false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
};

type Found = { readonly file: string; readonly stats: Stats };

/**
 * Opens the web app's folder, or returns undefined when there is none to serve (the default
 * folder before the app was built), so that the API alone still starts.
 */
export async function openStaticWeb(options: StaticWebOptions): Promise<StaticWeb | undefined> {
  const root = path.resolve(options.root);
  const log = options.log.child({ subsystem: 'web' });
  const index = await stat(path.join(root, 'index.html')).catch(() => undefined);
  if (!index?.isFile()) {
    if (options.required) {
      throw new Error(`WEB_ROOT ${root} holds no index.html; build the web app or unset WEB_ROOT.`);
    }
    log.info({ root }, 'no web app to serve; build it with `pnpm --filter @parley/web build`');
    return undefined;
  }
  log.info({ root }, 'serving the web app');

  const compressed = new CompressedBodies();

  const serve = async (req: IncomingMessage, res: ServerResponse, urlPath: string) => {
    const candidates = webPathCandidates(root, urlPath);
    if (!candidates.ok) {
      // A traversal attempt learns nothing beyond what any unknown path shows.
      log.warn({ path: urlPath.slice(0, 200), refusal: candidates.refusal }, 'refused path');
      await sendNotFound(req, res, root);
      return;
    }
    const found = await firstFile(candidates.files);
    if (!found) {
      await sendNotFound(req, res, root);
      return;
    }
    const cacheControl = urlPath.startsWith(immutablePrefix)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache';
    await sendFile(req, res, found, { status: 200, cacheControl, compressed });
  };

  return {
    root,
    handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (apiPaths.some((api) => urlPath === api || urlPath.startsWith(`${api}/`))) return false;

      serve(req, res, urlPath).catch((error: unknown) => {
        log.error({ err: error, path: urlPath.slice(0, 200) }, 'serving a file failed');
        if (!res.headersSent) {
          res.writeHead(500, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' });
          res.end('Internal server error.');
        } else {
          res.destroy();
        }
      });
      return true;
    },
  };
}

async function firstFile(files: readonly string[]): Promise<Found | undefined> {
  for (const file of files) {
    const stats = await stat(file).catch(() => undefined);
    if (stats?.isFile()) return { file, stats };
  }
  return undefined;
}

async function sendNotFound(req: IncomingMessage, res: ServerResponse, root: string) {
  const page = await firstFile([path.join(root, '404.html')]);
  if (!page) {
    res.writeHead(404, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' });
    res.end(req.method === 'HEAD' ? undefined : 'Not found.');
    return;
  }
  await sendFile(req, res, page, { status: 404, cacheControl: 'no-cache' });
}

async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  { file, stats }: Found,
  options: { status: number; cacheControl: string; compressed?: CompressedBodies },
): Promise<void> {
  const type = fileTypeOf(file);
  const encoding: Encoding | undefined =
    options.compressed && type.compressible && stats.size >= smallestCompressedBytes
      ? preferredEncoding(req.headers['accept-encoding'])
      : undefined;
  // The validator changes with the file and with the encoding: each encoding is a different
  // representation (RFC 9110, section 8.8.3), and a cache must not swap one for another.
  const etag = `W/"${stats.size.toString(36)}-${Math.floor(stats.mtimeMs).toString(36)}${
    encoding ? `-${encoding}` : ''
  }"`;
  const headers: Record<string, string> = {
    ...securityHeaders,
    'content-type': type.contentType,
    'cache-control': options.cacheControl,
    etag,
    'last-modified': stats.mtime.toUTCString(),
  };
  if (type.compressible) headers.vary = 'Accept-Encoding';

  // Conditional requests only revalidate a page that exists; a 404 page is always sent whole.
  if (options.status === 200 && isFresh(req, etag, stats.mtime)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }

  if (encoding && options.compressed) {
    const body = await options.compressed.get(
      { path: file, size: stats.size, mtimeMs: stats.mtimeMs },
      encoding,
    );
    res.writeHead(options.status, {
      ...headers,
      'content-encoding': encoding,
      'content-length': String(body.length),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }

  res.writeHead(options.status, { ...headers, 'content-length': String(stats.size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline closes the file when the client goes away mid-transfer; nothing is left to report.
  pipeline(createReadStream(file), res, () => {});
}

/** RFC 9110, section 13.2.2: If-None-Match wins over If-Modified-Since when both are sent. */
function isFresh(req: IncomingMessage, etag: string, modified: Date): boolean {
  const noneMatch = req.headers['if-none-match'];
  if (noneMatch !== undefined) {
    if (noneMatch.trim() === '*') return true;
    // Weak comparison (section 8.8.3.2): the W/ prefix does not take part.
    const opaque = etag.replace(/^W\//, '');
    return noneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
  }
  const modifiedSince = req.headers['if-modified-since'];
  if (modifiedSince === undefined) return false;
  const since = Date.parse(modifiedSince);
  // HTTP dates have whole seconds; the file's time has milliseconds.
  return !Number.isNaN(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since;
}
