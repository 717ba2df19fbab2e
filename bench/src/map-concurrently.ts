// Bench-only. Runs async work over a list with at most `limit` tasks at a time, keeping results
// in input order. Setup opens hundreds of accounts and sockets; doing them all at once would
// measure the server's connection storm handling instead of getting ready.
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
