// Server-only. The media types of the files a static export contains. Browsers refuse a script,
// a style sheet or a worker served as anything else once `nosniff` is set, so an unknown
// extension gets the type that nothing executes.
import path from 'node:path';

type FileType = { readonly contentType: string; readonly compressible: boolean };

const fileTypes: Readonly<Record<string, FileType>> = {
  '.html': { contentType: 'text/html; charset=utf-8', compressible: true },
  '.js': { contentType: 'text/javascript; charset=utf-8', compressible: true },
  '.mjs': { contentType: 'text/javascript; charset=utf-8', compressible: true },
  '.css': { contentType: 'text/css; charset=utf-8', compressible: true },
  '.json': { contentType: 'application/json; charset=utf-8', compressible: true },
  '.map': { contentType: 'application/json; charset=utf-8', compressible: true },
  // https://www.w3.org/TR/appmanifest/#media-type-registration
  '.webmanifest': { contentType: 'application/manifest+json; charset=utf-8', compressible: true },
  // Next.js writes each page's React Server Components payload as a .txt beside its .html.
  '.txt': { contentType: 'text/plain; charset=utf-8', compressible: true },
  '.svg': { contentType: 'image/svg+xml', compressible: true },
  '.png': { contentType: 'image/png', compressible: false },
  '.ico': { contentType: 'image/x-icon', compressible: false },
  '.jpg': { contentType: 'image/jpeg', compressible: false },
  '.webp': { contentType: 'image/webp', compressible: false },
  '.woff2': { contentType: 'font/woff2', compressible: false },
  '.wasm': { contentType: 'application/wasm', compressible: true },
};

const unknownType: FileType = { contentType: 'application/octet-stream', compressible: false };

/** The Content-Type to serve a file with, and whether compressing it saves bytes. */
export function fileTypeOf(filePath: string): FileType {
  return fileTypes[path.extname(filePath).toLowerCase()] ?? unknownType;
}
