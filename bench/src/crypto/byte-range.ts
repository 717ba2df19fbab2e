// Bench-only. The smallest and largest size seen of one kind of message. Most sizes vary by a few
// bytes from one to the next: ts-mls adds a random choice of GREASE values (RFC 9420, section
// 13.5) to every leaf's capabilities, and leaves travel in key packages, commits and Welcomes.

export type ByteRange = { readonly min: number; readonly max: number };

export function byteRangeOf(sizes: readonly number[]): ByteRange {
  if (sizes.length === 0) throw new Error('A size range needs at least one size.');
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const size of sizes) {
    min = Math.min(min, size);
    max = Math.max(max, size);
  }
  return { min, max };
}
