import { mbpsToBps, type ClientSpeed } from './rate-limit';

/*
 * Close watching: a near-empty account's queue counters are read every second or sooner, so the
 * account is limited within moments of its balance reaching zero instead of at the next metering
 * pass (docs/routeros-quotas.md). These are its rules; the loop lives in activities/metering.ts.
 */

export const CLOSE_WATCH = {
  /** A watched router's counters are read at least this often. */
  pollMs: 1_000,
  /** ...and never more often than this, however close an account is to its end. */
  minGapMs: 100,
  /** A read aimed at an account's predicted end comes this much later, so that it finds it over. */
  settleMs: 20,
  /** What to watch is decided again this often, and whenever a service of the router changes. */
  refreshMs: 30_000,
} as const;

/** The most bytes a second the account's speed lets through, both directions; undefined: no limit. */
export function maxBytesPerSecond(speed: ClientSpeed): number | undefined {
  if (speed.downloadMbps === 0 || speed.uploadMbps === 0) return undefined;
  return (mbpsToBps(speed.downloadMbps) + mbpsToBps(speed.uploadMbps)) / 8;
}

/** An account whose traffic is enforced, as the last stored reading of its queue left it. */
export interface WatchCandidate {
  balanceBytes: bigint;
  /** When its queue was last recorded (epoch ms); null before the first reading. */
  lastReadAtMs: number | null;
  speed: ClientSpeed;
}

/**
 * Whether an account needs close watching: its balance is less than its speed can move from its last
 * reading until what to watch is decided again (twice the refresh period, so a late refresh is
 * covered too). Any other account cannot run out before then, even at full speed.
 */
export function needsCloseWatch(candidate: WatchCandidate, nowMs: number): boolean {
  const rate = maxBytesPerSecond(candidate.speed);
  if (rate === undefined || candidate.lastReadAtMs === null) return true;
  const seconds = (Math.max(0, nowMs - candidate.lastReadAtMs) + 2 * CLOSE_WATCH.refreshMs) / 1000;
  return Number(candidate.balanceBytes) < rate * seconds;
}

interface Counters {
  uploadBytes: bigint;
  downloadBytes: bigint;
}

/**
 * What a read of a watched account's queue leaves of the balance recorded with `last`, or `restarted`
 * when a counter is below it (a reboot or a re-created queue): such a read is recorded before anything
 * is decided from it, since only a recorded reading knows which boot it belongs to.
 */
export function remainingBytes(
  last: Counters | null,
  balanceBytes: bigint,
  now: Counters,
): bigint | 'restarted' {
  if (last === null) return balanceBytes - now.uploadBytes - now.downloadBytes;
  if (now.uploadBytes < last.uploadBytes || now.downloadBytes < last.downloadBytes) return 'restarted';
  return balanceBytes - (now.uploadBytes - last.uploadBytes) - (now.downloadBytes - last.downloadBytes);
}

/**
 * When to read a watched account again: just after it would be out at the pace it kept since the
 * previous read, but within `pollMs` (a pause or a slow start says nothing about the next second)
 * and not sooner than `minGapMs`.
 */
export function nextReadInMs(remaining: bigint, bytesPerMs: number): number {
  if (!(bytesPerMs > 0)) return CLOSE_WATCH.pollMs;
  const untilOut = Number(remaining) / bytesPerMs + CLOSE_WATCH.settleMs;
  return Math.min(CLOSE_WATCH.pollMs, Math.max(CLOSE_WATCH.minGapMs, Math.ceil(untilOut)));
}
