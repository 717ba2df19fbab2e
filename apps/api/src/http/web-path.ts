// Server-only. Maps a request path to the files of the exported web app that may answer it,
// and makes sure none of them lies outside the app's folder. Everything the server holds (the
// embedded database, generated keys, media) sits beside that folder, so a path that climbs out
// of it must never be opened.
import path from 'node:path';

/** Why a request path cannot name a file of the app. */
export type WebPathRefusal = 'malformed' | 'outside-root' | 'hidden';

export type WebPathCandidates =
  | { readonly ok: true; readonly files: readonly string[] }
  | { readonly ok: false; readonly refusal: WebPathRefusal };

/**
 * The absolute paths to try, in order, for a URL path such as `/`, `/chat`, `/chat/` or
 * `/_next/static/x.js`. Next.js's export writes `/chat` as `chat.html` (or `chat/index.html`
 * with `trailingSlash`), so both are tried after the exact file.
 */
export function webPathCandidates(root: string, urlPath: string): WebPathCandidates {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, refusal: 'malformed' };
  }
  // A NUL ends the path inside the operating system's calls; a backslash is a separator on
  // Windows. Neither appears in a file the export writes.
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) {
    return { ok: false, refusal: 'malformed' };
  }

  // The URL parser already removed `..` segments, but `%2F` decodes to a separator only here,
  // so `/..%2F..%2Fdata` first becomes a climbing path at this point. Resolve, then check.
  const resolved = path.resolve(root, `.${decoded}`);
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    return { ok: false, refusal: 'outside-root' };
  }
  // Dot files are never part of an export; refusing them keeps a `.env` or `.git` that lands in
  // the folder by mistake private.
  const relative = path.relative(root, resolved);
  if (relative.split(path.sep).some((segment) => segment.startsWith('.'))) {
    return { ok: false, refusal: 'hidden' };
  }

  if (resolved === root || decoded.endsWith('/')) {
    const index = path.join(resolved, 'index.html');
    return { ok: true, files: resolved === root ? [index] : [index, `${resolved}.html`] };
  }
  return {
    ok: true,
    files: [resolved, `${resolved}.html`, path.join(resolved, 'index.html')],
  };
}
