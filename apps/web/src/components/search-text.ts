// Shared. Matching what a person typed against names and message text: case and accents are
// ignored, so "jose" finds "José".

export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

/** Where `query` first occurs in `text`, ignoring case and accents, as [start, end) in `text`. */
export function findMatch(text: string, query: string): [number, number] | undefined {
  const needle = foldForSearch(query.trim());
  if (!needle) return undefined;

  // Folding can change lengths (é is two code units after NFD), so the match is searched
  // character by character on the original text rather than mapped back from the folded one.
  for (let start = 0; start < text.length; start++) {
    for (let end = start + 1; end <= text.length; end++) {
      const folded = foldForSearch(text.slice(start, end));
      if (folded === needle) return [start, end];
      if (!needle.startsWith(folded)) break;
    }
  }

  return undefined;
}
