// Server-only. Media over plain HTTP, beside /graphql: bytes do not belong in GraphQL, where
// they would travel as base64 inside JSON. `POST /media` takes a device's upload, with the same
// device token and the same kind of rate limit as every operation; `GET /media/<id>` serves a
// blob to anyone who knows its id, which is only the sender and the recipients of the MLS
// message that carries the id and the key.
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream';

import type { Deps } from '../deps.js';
import { badInput, ParleyError } from '../errors.js';
import { parseByteRange } from '../http/byte-range.js';
import { sendJsonError } from '../http/send-json-error.js';
import { authenticate } from '../identity/accounts.js';
import { readBearerToken } from '../identity/device-token.js';
import { parseMediaId } from '../ids.js';
import { enforceRateLimit } from '../rate-limit.js';
import type { Viewer } from '../viewer.js';
import { LocalMediaStore } from './local-media-store.js';
import { type MediaStore, mediaTooLarge } from './media-store.js';

export type MediaRoutes = {
  /** Answers the request and returns true when its path is under /media. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
};

export async function createMediaRoutes(deps: Deps): Promise<MediaRoutes> {
  const log = deps.log.child({ subsystem: 'media' });
  const store: MediaStore = await LocalMediaStore.open(
    path.join(deps.config.dataDir, 'media'),
    log,
  );

  const upload = async (req: IncomingMessage, res: ServerResponse) => {
    const viewer = await authenticateUpload(deps, req);
    await enforceRateLimit(
      deps.store,
      `media-uploads:${viewer.deviceId}`,
      deps.limits.mediaUploadsPerDevice,
      'uploads',
    );

    // Refuse a declared length at once; a body without one is counted as it arrives.
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > deps.config.maxMediaBytes) throw mediaTooLarge(deps.config.maxMediaBytes);

    const stored = await store.put(req, deps.config.maxMediaBytes);
    log.info({ deviceId: viewer.deviceId, mediaId: stored.id, size: stored.size }, 'stored');
    res.writeHead(201, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      location: `/media/${stored.id}`,
    });
    res.end(JSON.stringify({ id: stored.id, size: stored.size }));
  };

  const download = async (req: IncomingMessage, res: ServerResponse, rawId: string) => {
    const id = parseMediaId(rawId);
    const blob = await store.get(id);
    if (!blob) throw new ParleyError('NOT_FOUND', `No media has the id ${id}.`);

    const etag = `"${id}"`;
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      // The id is the hash of the bytes, so the bytes behind a URL never change.
      'cache-control': 'public, max-age=31536000, immutable',
      etag,
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
    };
    if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }

    const range = parseByteRange(req.headers.range, blob.size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${blob.size}` });
      res.end();
      return;
    }
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${blob.size}`;
    }
    const length = range ? range.end - range.start + 1 : blob.size;
    res.writeHead(range ? 206 : 200, { ...headers, 'content-length': String(length) });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // The client may go away mid-download; pipeline then closes the file, and there is nothing
    // left to answer.
    pipeline(blob.read(range), res, () => {});
  };

  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown) => {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    if (!(error instanceof ParleyError)) {
      if (req.destroyed || req.readableAborted) return;
      log.error({ err: error, method: req.method }, 'unexpected error serving media');
      sendJsonError(res, new ParleyError('INTERNAL_SERVER_ERROR', 'Unexpected error.'), {
        connection: 'close',
      });
      return;
    }
    // An upload refused before its body was read: say so, then close the connection rather than
    // read up to the limit's worth of bytes that nobody will keep.
    const unread = req.method === 'POST' && !req.readableEnded;
    sendJsonError(res, error, unread ? { connection: 'close' } : {});
    if (unread) req.resume();
  };

  return {
    handle(req, res) {
      const urlPath = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (urlPath !== '/media' && !urlPath.startsWith('/media/')) return false;

      let work: Promise<void>;
      if (urlPath === '/media' && req.method === 'POST') {
        work = upload(req, res);
      } else if (urlPath !== '/media' && (req.method === 'GET' || req.method === 'HEAD')) {
        work = download(req, res, urlPath.slice('/media/'.length));
      } else {
        work = Promise.reject(
          badInput('Upload with POST /media, download with GET /media/<id>.', 'method'),
        );
      }
      work.catch((error: unknown) => fail(req, res, error));
      return true;
    },
  };
}

async function authenticateUpload(deps: Deps, req: IncomingMessage): Promise<Viewer> {
  const token = readBearerToken(req.headers.authorization);
  if (!token) {
    throw new ParleyError(
      'UNAUTHENTICATED',
      'Send the device token as "Authorization: Bearer <token>" to upload media.',
    );
  }
  return authenticate(deps, token);
}
