// Shared. Splits plain message text into text and links, so that a bubble can render URLs as
// anchors without ever treating the text as HTML. Only http and https survive: a message that
// says "javascript:…" stays text.

export type TextPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'link'; readonly text: string; readonly href: string };

// A run that starts like a web address and stops at whitespace or at characters that cannot
// end a URL in running prose. Trailing punctuation is trimmed below.
const candidate = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;
const trailing = /[.,:;!?'"]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let cursor = 0;

  for (const match of text.matchAll(candidate)) {
    const start = match.index;
    const raw = trimUrl(match[0]);
    const href = toHref(raw);
    if (!href) continue;

    if (start > cursor) parts.push({ type: 'text', text: text.slice(cursor, start) });
    parts.push({ type: 'link', text: raw, href });
    cursor = start + raw.length;
  }

  if (cursor < text.length) parts.push({ type: 'text', text: text.slice(cursor) });

  return parts;
}

// "(see https://example.com/a)" must not swallow the closing parenthesis, while
// "https://en.wikipedia.org/wiki/Foo_(bar)" keeps its own.
function trimUrl(url: string): string {
  let result = url.replace(trailing, '');

  while (result.endsWith(')') && count(result, '(') < count(result, ')')) {
    result = result.slice(0, -1).replace(trailing, '');
  }

  return result;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function toHref(raw: string): string | undefined {
  const withScheme = /^www\./i.test(raw) ? `https://${raw}` : raw;

  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (!url.hostname.includes('.') && url.hostname !== 'localhost') return undefined;

    return url.href;
  } catch {
    return undefined;
  }
}
