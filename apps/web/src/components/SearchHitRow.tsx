// Browser-only. One message that a local search found: which chat, when, and the words around
// the match.

import type { MessageSearchHit } from '../model/view-models';
import { formatListTime } from './format-time';
import { HighlightedText } from './HighlightedText';

export type SearchHitRowProps = {
  readonly hit: MessageSearchHit;
  readonly query: string;
  readonly tabbable: boolean;
  readonly now: number;
  readonly onOpen: (hit: MessageSearchHit) => void;
  readonly onFocus: (key: string) => void;
};

export function searchHitKey(hit: MessageSearchHit): string {
  return `hit:${hit.conversationId}:${hit.messageId}`;
}

export function SearchHitRow({ hit, query, tabbable, now, onOpen, onFocus }: SearchHitRowProps) {
  return (
    <li>
      <button
        type="button"
        className="search-hit"
        data-roving-item
        tabIndex={tabbable ? 0 : -1}
        onClick={() => onOpen(hit)}
        onFocus={() => onFocus(searchHitKey(hit))}
      >
        <span className="search-hit__line">
          <span className="search-hit__title">{hit.conversationTitle}</span>
          <span className="search-hit__time">{formatListTime(hit.at, now)}</span>
        </span>
        <span className="search-hit__excerpt">
          <HighlightedText text={hit.excerpt} query={query} />
        </span>
      </button>
    </li>
  );
}
