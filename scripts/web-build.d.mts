// Types of web-build.mjs, for the TypeScript that imports it (bench/lighthouse).

export declare const repositoryRoot: string;
export declare const webOutDir: string;

/** Why the export needs building, or undefined when it is newer than every source. */
export declare function webBuildStaleness(): string | undefined;

/** Builds the export if it is stale, and throws if that fails; returns whether a build ran. */
export declare function ensureWebBuild(options?: { log?: (line: string) => void }): boolean;

/** Runs pnpm (the one running this script, when there is one) with these arguments. */
export declare function runPnpm(
  args: string[],
  options: import('node:child_process').SpawnSyncOptions,
): import('node:child_process').SpawnSyncReturns<Buffer>;
