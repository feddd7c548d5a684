/** The contracts activities depend on: how to reach a router and what can be done on it. */

export interface RouterConnectionSpec {
  host: string;
  /** Always explicit: node-routeros defaults TLS to 8728, the plain API port. */
  port: number;
  /** TLS with a pinned SHA-256 certificate fingerprint (hex, colons optional) or a CA (PEM); false = plain API. */
  tls: { fingerprint?: string; ca?: string } | false;
  user: string;
  password: string;
  /** Bound on connecting, logging in and every single call. Default 10 s. */
  timeoutMs?: number;
}

/** A reply row: RouterOS attribute names to their printed values. */
export type RouterRow = Record<string, string>;

export interface RouterInfo {
  identity: string;
  /** `7.18.2`, without the channel. */
  version: string;
  /** `stable`, `long-term`, `testing`, ... when printed. */
  channel: string | undefined;
  uptimeSeconds: number;
  board: string;
}

export type PppService = 'any' | 'async' | 'l2tp' | 'ovpn' | 'pppoe' | 'pptp' | 'sstp';

/** The PPP secret an account should have; `name` is its stable key. */
export interface SecretSpec {
  name: string;
  password: string;
  service: PppService;
  profile: string;
  remoteAddress: string;
  comment: string;
  disabled: boolean;
}

export interface SecretState {
  id: string;
  name: string;
  /** Undefined when the API user lacks the `sensitive` policy. */
  password: string | undefined;
  service: string;
  profile: string;
  remoteAddress: string | undefined;
  comment: string | undefined;
  disabled: boolean;
  lastLoggedOut: string | undefined;
  lastCallerId: string | undefined;
  lastDisconnectReason: string | undefined;
}

/** Bits per second; `upload` is what the target sends. 0 means unlimited. */
export interface RateLimit {
  upload: bigint;
  download: bigint;
}

/** The static simple queue an account should have; `name` is its stable key, `comment` the fallback. */
export interface StaticQueueSpec {
  name: string;
  /** `10.0.0.5` or `10.0.0.5/32`. */
  target: string;
  maxLimit: RateLimit;
  comment: string;
}

export interface StaticQueueState {
  id: string;
  name: string;
  target: string;
  maxLimit: RateLimit;
  comment: string | undefined;
  disabled: boolean;
}

export interface QueueCounters {
  name: string;
  target: string;
  comment: string | undefined;
  /** Bytes the target sent: the client's upload. */
  uploadBytes: bigint;
  /** Bytes the target received: the client's download. */
  downloadBytes: bigint;
  uploadPackets: bigint;
  downloadPackets: bigint;
}

export interface ActiveSession {
  id: string;
  name: string;
  service: string;
  callerId: string | undefined;
  address: string | undefined;
  uptimeSeconds: number | undefined;
}

/**
 * Whether an item found on the router, known by its comment, belongs to the caller. Writes and
 * removals go only to items that do: a same-named secret or queue made by anyone else is never
 * changed or removed.
 */
export type ItemOwner = (comment: string | undefined) => boolean;

/** What a removal found: the caller's item removed, nothing there, or someone else's item left alone. */
export type RemoveOutcome = 'removed' | 'absent' | 'foreign';

/** What `ensure*` had to do to make the router match the spec. */
export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

export interface EnsureResult {
  id: string;
  outcome: EnsureOutcome;
}

/**
 * The typed operations on one router. Every method is idempotent where its name promises it, finds
 * items by their stable key (never by a cached `.id`), and fails only with a RouterError.
 */
export interface RouterClient {
  routerInfo(): Promise<RouterInfo>;
  /** Fails with RouterForeignItemError when a secret of that name exists that `owner` does not own. */
  ensureSecret(spec: SecretSpec, owner: ItemOwner): Promise<EnsureResult>;
  readSecret(name: string): Promise<SecretState | undefined>;
  removeSecret(name: string, owner: ItemOwner): Promise<RemoveOutcome>;
  /** Fails with RouterNotFoundError when the secret does not exist. */
  setSecretDisabled(name: string, disabled: boolean): Promise<void>;
  /** Fails with RouterForeignItemError when a static queue of that name exists that `owner` does not own. */
  ensureStaticQueue(spec: StaticQueueSpec, owner: ItemOwner): Promise<EnsureResult>;
  readStaticQueue(name: string): Promise<StaticQueueState | undefined>;
  removeStaticQueue(name: string, owner: ItemOwner): Promise<RemoveOutcome>;
  /** Removes every active session of the user; returns how many there were. */
  kickSessions(name: string): Promise<number>;
  listActiveSessions(): Promise<ActiveSession[]>;
  /** Every static simple queue of the router, in one print. */
  readQueueCounters(): Promise<QueueCounters[]>;
  /** The static simple queues with these names, in one print; names without a queue are left out. */
  readQueueCountersOf(names: readonly string[]): Promise<QueueCounters[]>;
  /** `/system/resource` uptime alone: one small print that tells whether the router rebooted. */
  readUptimeSeconds(): Promise<number>;
}

/** Hands out the client of a router known by its id (the routers of vpnflow's database). */
export interface RouterDirectory {
  clientFor(routerId: number): Promise<RouterClient>;
}
