// Server-only. Every limit in one place, with its default. Tests shrink some of them.

export type Window = { readonly limit: number; readonly windowMs: number };

export type Limits = {
  /** Codes one phone number may be sent. Default 5 an hour. */
  readonly codesPerNumber: Window;
  /** Codes one client address may ask for, across numbers. Default 20 an hour. */
  readonly codesPerAddress: Window;
  /** Wrong guesses allowed for one code before it is void. Default 5. */
  readonly attemptsPerCode: number;
  /** Code checks one client address may make, across numbers. Default 30 an hour. */
  readonly verificationsPerAddress: Window;
  /** How long a code stays valid. Default 10 minutes. */
  readonly codeTtlMs: number;
  /** Operations of any kind one device (or one address, signed out) may run. Default 2,000 in
   * 10 seconds. */
  readonly operationsPerClient: Window;
  /** Messages one device may send. Default 200 a second. */
  readonly sendsPerDevice: Window;
  /** Phone numbers one device may look up. Default 1,000 an hour. */
  readonly lookupsPerDevice: Window;
  /** Numbers per discovery request. Default 500. */
  readonly lookupBatch: number;
  /** How long "typing" lasts unless refreshed. Default 6 seconds. */
  readonly typingTtlMs: number;
  /** How long a connection counts as present unless refreshed. Default 30 seconds. */
  readonly presenceTtlMs: number;
  /** Messages fetched per database round trip when replaying a backlog. Default 200. */
  readonly replayBatch: number;
  /** Members of one group. Default 1,024. */
  readonly groupSize: number;
  /** Devices in one MLS group (the leaves of its tree). Default 4,096. */
  readonly groupDevices: number;
  /** Key packages one device may claim: each claim spends another device's stock. Default 600
   * a minute. */
  readonly keyPackageClaimsPerDevice: Window;
  /** Key packages one device may claim from one user: a bound on draining a user's stock.
   * Default 100 an hour. */
  readonly keyPackageClaimsPerTarget: Window;
  /** Commits one device may submit. Default 120 a minute. */
  readonly commitsPerDevice: Window;
  /** Web Push requests in flight at once, per instance. Default 16. */
  readonly pushConcurrency: number;
  /** Push deliveries waiting for a slot before new ones are dropped. Default 10,000. */
  readonly pushBacklog: number;
  /** How long one request to a push service may take. Default 10 seconds. */
  readonly pushTimeoutMs: number;
  /** Media files one device may upload. Default 120 a minute: an album of photos at once. */
  readonly mediaUploadsPerDevice: Window;
};

export const defaultLimits: Limits = {
  codesPerNumber: { limit: 5, windowMs: 3_600_000 },
  codesPerAddress: { limit: 20, windowMs: 3_600_000 },
  attemptsPerCode: 5,
  verificationsPerAddress: { limit: 30, windowMs: 3_600_000 },
  codeTtlMs: 600_000,
  operationsPerClient: { limit: 2_000, windowMs: 10_000 },
  sendsPerDevice: { limit: 200, windowMs: 1_000 },
  lookupsPerDevice: { limit: 1_000, windowMs: 3_600_000 },
  lookupBatch: 500,
  typingTtlMs: 6_000,
  presenceTtlMs: 30_000,
  replayBatch: 200,
  groupSize: 1_024,
  groupDevices: 4_096,
  keyPackageClaimsPerDevice: { limit: 600, windowMs: 60_000 },
  keyPackageClaimsPerTarget: { limit: 100, windowMs: 3_600_000 },
  commitsPerDevice: { limit: 120, windowMs: 60_000 },
  pushConcurrency: 16,
  pushBacklog: 10_000,
  pushTimeoutMs: 10_000,
  mediaUploadsPerDevice: { limit: 120, windowMs: 60_000 },
};
