// Browser-only. The message a reply answers, quoted at the top of the reply's bubble. Pressing
// it brings the original into view.

import type { MessageView } from '../model/view-models';

export type ReplyQuoteProps = {
  readonly quote: NonNullable<MessageView['replyTo']>;
  readonly onJump: (id: string) => void;
};

export function ReplyQuote({ quote, onJump }: ReplyQuoteProps) {
  return (
    <button type="button" className="reply-quote" onClick={() => onJump(quote.id)}>
      <span className="visually-hidden">Reply to </span>
      <span className="reply-quote__sender">{quote.senderName}</span>
      <span className="visually-hidden">: </span>
      <span className="reply-quote__excerpt">{quote.excerpt}</span>
      <span className="visually-hidden">. Show the original message.</span>
    </button>
  );
}
