// Server-only. One byte range of a Range header (RFC 9110, section 14), so that a client can
// resume a large download where it broke off. Several ranges in one request are answered with
// the whole file, which the RFC allows (section 14.2) and no client of media needs otherwise.

export type ByteRange = { readonly start: number; readonly end: number };

/**
 * The inclusive range to send, `undefined` to send the whole file (no header, or one this
 * server does not honour), or `'unsatisfiable'` for a range past the end (status 416).
 */
export function parseByteRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;

  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}
