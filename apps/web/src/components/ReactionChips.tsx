// Browser-only. The reactions under a message, one chip per emoji with its count. Your own
// reaction is highlighted and pressed; pressing a chip adds yours or takes it back.

import type { ReactionSummary } from '../model/view-models';

export type ReactionChipsProps = {
  readonly reactions: readonly ReactionSummary[];
  readonly onToggle: (emoji: string) => void;
};

export function ReactionChips({ reactions, onToggle }: ReactionChipsProps) {
  if (reactions.length === 0) return null;

  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset is for form fields, not toggle buttons
    <div className="reactions" role="group" aria-label="Reactions">
      {reactions.map((reaction) => (
        <button
          key={reaction.emoji}
          type="button"
          className={`reaction${reaction.mine ? ' reaction--mine' : ''}`}
          aria-pressed={reaction.mine}
          title={reaction.mine ? 'Take back your reaction' : 'React with this too'}
          onClick={() => onToggle(reaction.emoji)}
        >
          <span className="reaction__emoji">{reaction.emoji}</span>
          <span className="reaction__count">{reaction.count}</span>
        </button>
      ))}
    </div>
  );
}
