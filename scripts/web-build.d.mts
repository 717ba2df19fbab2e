// Types of web-build.mjs, for the TypeScript that imports it (bench/lighthouse).

export declare const repositoryRoot: string;
export declare const webOutDir: string;

/** Why the export needs building, or undefined when it is newer than every source. */
export declare function webBuildStaleness(): string | undefined;

/** Builds the export if it is stale, and throws if that fails; returns whether a build ran. */
export declare function ensureWebBuild(options?: { log?: (line: string) => void }): boolean;
