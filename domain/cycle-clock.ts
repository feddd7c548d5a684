import { cycleStartAt, MONTHS_PER_CYCLE, nextCycleBoundary, type BillingCycle } from './billing-cycles';
import { parseInstant, toInstant } from './instants';

/**
 * Where billing-cycle boundaries fall. In production a month is a calendar month. Tests and the demo
 * compress time by giving a month a fixed number of seconds, so that several cycles pass in a run;
 * the service workflow keeps the clock it was created with for its whole life.
 */
export interface CycleClock {
  /** Absent: calendar months. */
  secondsPerMonth?: number;
}

function compressedIndex(anchorMillis: number, cycleMillis: number, atMillis: number): number {
  return atMillis < anchorMillis ? 0 : Math.floor((atMillis - anchorMillis) / cycleMillis);
}

export function nextBoundary(
  clock: CycleClock,
  cycle: BillingCycle,
  anchor: string,
  after: string,
): string | null {
  const months = MONTHS_PER_CYCLE[cycle];
  if (clock.secondsPerMonth === undefined || months === null) return nextCycleBoundary(cycle, anchor, after);
  const anchorMillis = parseInstant(anchor);
  const afterMillis = parseInstant(after);
  if (afterMillis < anchorMillis) return toInstant(anchorMillis);
  const cycleMillis = months * clock.secondsPerMonth * 1000;
  return toInstant(
    anchorMillis + (compressedIndex(anchorMillis, cycleMillis, afterMillis) + 1) * cycleMillis,
  );
}

export function cycleStart(clock: CycleClock, cycle: BillingCycle, anchor: string, at: string): string {
  const months = MONTHS_PER_CYCLE[cycle];
  if (clock.secondsPerMonth === undefined || months === null) return cycleStartAt(cycle, anchor, at);
  const anchorMillis = parseInstant(anchor);
  const cycleMillis = months * clock.secondsPerMonth * 1000;
  return toInstant(anchorMillis + compressedIndex(anchorMillis, cycleMillis, parseInstant(at)) * cycleMillis);
}
