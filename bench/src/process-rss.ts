// Bench-only, Linux-only. A child's resident set size, read from the kernel, since a child's own
// process.memoryUsage() is not visible from the outside.
import { readFile } from 'node:fs/promises';

/** Resident memory of process `pid`, in KiB (the kernel's "kB" is 1,024 bytes). */
export async function readRssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`/proc/${pid}/status has no VmRSS line`);
  return Number(match[1]);
}
