// Shared. The quick reactions offered on every message, with the names screen readers say.

export const quickReactions: readonly { readonly emoji: string; readonly name: string }[] = [
  { emoji: '👍', name: 'thumbs up' },
  { emoji: '❤️', name: 'red heart' },
  { emoji: '😂', name: 'tears of joy' },
  { emoji: '😮', name: 'surprised' },
  { emoji: '😢', name: 'crying' },
  { emoji: '🙏', name: 'folded hands' },
];
