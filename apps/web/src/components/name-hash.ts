// Shared. A stable small number for a name, so that a person keeps the same avatar colour and
// the same sender colour in groups on every device, without storing either.

export function nameHash(name: string): number {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;

  return hash;
}
