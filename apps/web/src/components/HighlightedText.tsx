// Shared. Text with the first occurrence of a search query marked.

import { findMatch } from './search-text';

export type HighlightedTextProps = {
  readonly text: string;
  readonly query: string;
};

export function HighlightedText({ text, query }: HighlightedTextProps) {
  const match = findMatch(text, query);
  if (!match) return <>{text}</>;

  const [start, end] = match;

  return (
    <>
      {text.slice(0, start)}
      <mark>{text.slice(start, end)}</mark>
      {text.slice(end)}
    </>
  );
}
