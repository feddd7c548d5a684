import { usageDelta, type CounterReading, type UsageDelta } from './usage';

/**
 * Several readers record a router's counters: the metering pass, close watching of near-empty accounts
 * and a terminate's last reading. Their readings of one queue can cross: a pass may read a counter,
 * close watching read it a moment later and record first, and the pass record after it. Counted as
 * usual, the older reading would look like a counter reset and be counted in full a second time. So a
 * reading knows when it was asked for, and the rules below decide what it adds to the stored one.
 */

/** A queue's last recorded reading and when the router's reply to it arrived (epoch ms). */
export interface StoredReading extends CounterReading {
  readAtMs: number;
}

/** A reading about to be recorded: when it was asked for and when the reply arrived (epoch ms). */
export interface NewReading extends CounterReading {
  /** Absent: the caller vouches that this reading is newer than any stored one (a router's only reader). */
  requestedAtMs?: number;
  readAtMs: number;
}

/**
 * What a new reading adds to the stored one, or `stale` when it must not be counted.
 *
 * A reading asked for after the stored one arrived is the newer: the usual rules apply (an uptime or a
 * counter that went down starts a new baseline). Otherwise the two were taken at about the same time
 * and either may be the newer, so a drop says nothing about a reset or a reboot: the reading counts
 * only when it plainly continues the stored one (same boot, no counter lower), and is skipped when it
 * does not. Skipping never loses a byte while the counters keep running: the next reading counts it.
 */
export function usageSinceStored(stored: StoredReading | null, next: NewReading): UsageDelta | 'stale' {
  if (stored === null || next.requestedAtMs === undefined || next.requestedAtMs > stored.readAtMs) {
    return usageDelta(stored, next);
  }
  const secondsApart = Math.ceil(Math.abs(next.readAtMs - stored.readAtMs) / 1000);
  const sameBoot = Math.abs(next.routerUptimeSeconds - stored.routerUptimeSeconds) <= secondsApart + 1;
  const noneLower = next.uploadBytes >= stored.uploadBytes && next.downloadBytes >= stored.downloadBytes;
  if (!sameBoot || !noneLower) return 'stale';
  return {
    uploadBytes: next.uploadBytes - stored.uploadBytes,
    downloadBytes: next.downloadBytes - stored.downloadBytes,
    newBaseline: null,
  };
}
