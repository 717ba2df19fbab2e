// Bench-only. How busy the rest of the machine was while the bench ran: the CPU time every
// process used (the first line of /proc/stat) less this process's own, over the wall-clock time,
// in cores. On a shared two-core machine every timing here moves with it, so the report says
// how much of the machine something else took. Linux only; elsewhere it reports null.
import { readFileSync } from 'node:fs';

/** /proc/stat counts USER_HZ ticks, 100 a second on every architecture Linux exposes it on. */
const ticksPerSecond = 100;

export class OtherCpuLoad {
  readonly #startedMs = performance.now();
  readonly #machineBusySeconds = machineBusySeconds();
  readonly #own = process.cpuUsage();

  /** Cores' worth of CPU used by other processes since this object was made, on average. */
  read(): number | null {
    const busyNow = machineBusySeconds();
    if (busyNow === null || this.#machineBusySeconds === null) return null;
    const own = process.cpuUsage(this.#own);
    const ownSeconds = (own.user + own.system) / 1e6;
    const wallSeconds = (performance.now() - this.#startedMs) / 1_000;
    const others = (busyNow - this.#machineBusySeconds - ownSeconds) / wallSeconds;
    return Math.round(Math.max(0, others) * 100) / 100;
  }
}

/** CPU time every process has used since boot: user, nice, system, irq, softirq and steal. */
function machineBusySeconds(): number | null {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
  } catch {
    return null;
  }
  const fields = line?.split(/\s+/).slice(1).map(Number) ?? [];
  const [user, nice, system, , , irq, softirq, steal] = fields;
  const busy = [user, nice, system, irq, softirq, steal];
  if (busy.some((value) => value === undefined || !Number.isFinite(value))) return null;
  return busy.reduce<number>((sum, value) => sum + (value ?? 0), 0) / ticksPerSecond;
}
