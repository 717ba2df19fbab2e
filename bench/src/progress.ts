// Bench-only. Progress lines go to stderr, so that stdout carries only the report.
const startedMs = performance.now();

export function progress(message: string): void {
  const seconds = ((performance.now() - startedMs) / 1_000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}
