// Bench-only. A server the bench runs as a child process, so that it gets a core of its own
// instead of sharing the load generator's event loop. Its output is kept (the last lines, to
// explain a failure) and passed on to stderr, prefixed with its name, so warnings are seen.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type ChildServiceOptions = {
  readonly name: string;
  /** Arguments to `node`, after the preloads. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Each line the child prints; return true to keep it off stderr. */
  readonly onLine?: (line: string) => boolean;
};

export type ChildService = {
  readonly name: string;
  readonly pid: number;
  /** Set once the child has exited, with how. */
  readonly exit: string | undefined;
  /** The child's last lines of output, for error messages. */
  tail(): string;
  /** SIGTERM, then SIGKILL if the child is still there after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
};

const tailLines = 30;
const orphanGuard = new URL('./orphan-guard.ts', import.meta.url).href;

export function startChildService(options: ChildServiceOptions): ChildService {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', orphanGuard, ...options.args],
    { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid === undefined) throw new Error(`${options.name} could not be started`);

  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > tailLines) lines.shift();
      if (!options.onLine?.(line)) process.stderr.write(`[${options.name}] ${line}\n`);
    });
  }

  let exit: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal ? `killed by ${signal}` : `exited with ${code}`;
      resolve();
    });
  });

  return {
    name: options.name,
    pid: child.pid,
    get exit() {
      return exit;
    },
    tail: () => lines.join('\n'),
    stop: async (graceMs = 5_000) => {
      if (exit !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
