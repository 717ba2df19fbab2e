// Browser-only. A message's text with its web addresses as links. The text is rendered as React
// text nodes, never as HTML, so nothing a sender types can become markup.

import { Fragment } from 'react';

import { linkify } from './linkify';

export type MessageTextProps = {
  readonly text: string;
};

export function MessageText({ text }: MessageTextProps) {
  return (
    <>
      {linkify(text).map((part, index) =>
        part.type === 'link' ? (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder within one text
            key={index}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
          >
            {part.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts never reorder within one text
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
