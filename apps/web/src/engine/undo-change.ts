// Browser-only (page). Takes back, on screen, a change to a message that the server refused: a
// reaction, an edit or a deletion is shown at once and, if it cannot be sent, only what it
// changed is put back, keeping whatever others did to the message in the meantime.
import type { MessageContent } from '@parley/crypto';

import type { MessageRecord } from '../shared/local-database.ts';

export function undoChange(
  now: MessageRecord,
  before: MessageRecord,
  content: MessageContent,
  userId: string,
): MessageRecord {
  switch (content.type) {
    case 'reaction': {
      const reactions = { ...now.reactions };
      const previous = before.reactions[userId];
      if (previous === undefined) delete reactions[userId];
      else reactions[userId] = previous;
      return { ...now, reactions };
    }
    case 'edit': {
      const { editedAt: _, ...rest } = now;
      return {
        ...rest,
        text: before.text,
        ...(before.editedAt !== undefined && { editedAt: before.editedAt }),
      };
    }
    case 'delete':
      return { ...now, deleted: before.deleted, text: before.text, reactions: before.reactions };
    default:
      return now;
  }
}
