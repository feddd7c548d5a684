/** Pure parsers for the text RouterOS prints: uptimes, versions, `upload/download` pairs, rates. */

const UPTIME_UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };

/**
 * Parses `1w2d3h4m5s` (RouterOS 7) and the older `1d02:03:04` / `02:03:04` forms into whole seconds.
 * Milliseconds (`5s120ms`) are dropped. Returns undefined for text that is not an uptime.
 */
export function parseUptimeSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  const clock = /^(?:(\d+)w)?(?:(\d+)d)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(trimmed);
  if (clock) {
    const [, weeks, days, hours, minutes, seconds] = clock;
    return (
      Number(weeks ?? 0) * 604_800 +
      Number(days ?? 0) * 86_400 +
      Number(hours) * 3_600 +
      Number(minutes) * 60 +
      Number(seconds)
    );
  }
  if (!/^(?:\d+(?:w|d|h|ms|m|s))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|w|d|h|m|s)/g)) {
    if (unit !== 'ms') total += Number(amount) * UPTIME_UNIT_SECONDS[unit];
  }
  return total;
}

export interface RouterOsVersion {
  major: number;
  minor: number;
  patch: number;
  /** `7.18.2` without the channel suffix; `7.19rc1` keeps its pre-release tag. */
  number: string;
  /** `stable`, `long-term`, `testing`, ... when the router printed one. */
  channel: string | undefined;
}

/** Parses `/system/resource` `version`: `7.18.2 (stable)`, `7.19rc1 (testing)`, `6.49.10 (long-term)`. */
export function parseRouterOsVersion(text: string): RouterOsVersion | undefined {
  const match = /^\s*((\d+)(?:\.(\d+))?(?:\.(\d+))?[a-z0-9]*)\s*(?:\(([^)]*)\))?\s*$/i.exec(text);
  if (!match) return undefined;
  const [, number, major, minor, patch, channel] = match;
  return {
    major: Number(major),
    minor: Number(minor ?? 0),
    patch: Number(patch ?? 0),
    number,
    channel: channel?.trim() || undefined,
  };
}

/** Orders two versions by major, minor, patch; pre-release tags are ignored. */
export function compareRouterOsVersions(a: RouterOsVersion, b: RouterOsVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export interface DirectionPair {
  /** What the target sent (the client's upload). */
  upload: bigint;
  /** What the target received (the client's download). */
  download: bigint;
}

/** Parses a counter pair such as queue `bytes=123/456`. Returns undefined for anything else. */
export function parseCounterPair(text: string): DirectionPair | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  return { upload: BigInt(match[1]), download: BigInt(match[2]) };
}

const RATE_MULTIPLIERS: Record<string, bigint> = { '': 1n, k: 1_000n, M: 1_000_000n, G: 1_000_000_000n };

/** Parses one rate as RouterOS prints it: `10000000`, `10M`, `512k`, `1G` (bits per second). */
export function parseRate(text: string): bigint | undefined {
  const match = /^(\d+)([kMG]?)$/.exec(text.trim());
  if (!match) return undefined;
  return BigInt(match[1]) * RATE_MULTIPLIERS[match[2]];
}

/** Parses a queue `max-limit` such as `5M/10M` (upload/download of the target). */
export function parseRatePair(text: string): DirectionPair | undefined {
  const parts = text.split('/');
  if (parts.length !== 2) return undefined;
  const upload = parseRate(parts[0]);
  const download = parseRate(parts[1]);
  return upload === undefined || download === undefined ? undefined : { upload, download };
}

export function formatRatePair(pair: DirectionPair): string {
  return `${pair.upload}/${pair.download}`;
}

/** RouterOS prints booleans as `true`/`false` and accepts `yes`/`no`. */
export function parseRouterBoolean(text: string | undefined): boolean {
  return text === 'true' || text === 'yes';
}

/** A queue target as RouterOS prints it: a bare IPv4 address gains its `/32`. */
export function normalizeQueueTarget(target: string): string {
  return target
    .split(',')
    .map((part) => part.trim())
    .map((part) => (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(part) ? `${part}/32` : part))
    .join(',');
}
