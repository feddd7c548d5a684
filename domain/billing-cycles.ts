import { requirePositiveId } from './identifiers';
import { normalizeInstant, parseInstant, toInstant } from './instants';

/**
 * Billing cycles as WHMCS has them, in the lowercase spelling WHMCS uses for pricing columns and the
 * API (`semiannually`, `onetime`, `free`). All boundaries are UTC instants (see instants.ts).
 */
export const BILLING_CYCLES = [
  'monthly',
  'quarterly',
  'semiannually',
  'annually',
  'biennially',
  'triennially',
  'onetime',
  'free',
] as const;

export type BillingCycle = (typeof BILLING_CYCLES)[number];

/** Months between two boundaries; null for cycles that never renew. */
export const MONTHS_PER_CYCLE: Readonly<Record<BillingCycle, number | null>> = {
  monthly: 1,
  quarterly: 3,
  semiannually: 6,
  annually: 12,
  biennially: 24,
  triennially: 36,
  onetime: null,
  free: null,
};

/** The names WHMCS shows and stores on a service (`tblhosting.billingcycle`). */
export const WHMCS_CYCLE_NAMES: Readonly<Record<BillingCycle, string>> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  semiannually: 'Semi-Annually',
  annually: 'Annually',
  biennially: 'Biennially',
  triennially: 'Triennially',
  onetime: 'One Time',
  free: 'Free Account',
};

const SPELLINGS: Readonly<Record<string, BillingCycle>> = {
  ...Object.fromEntries(BILLING_CYCLES.map((cycle) => [cycle, cycle])),
  freeaccount: 'free',
};

/**
 * Accepts every spelling WHMCS uses: `Semi-Annually`, `semiannually`, `One Time`, `One-Time`,
 * `onetime`, `Free Account`, `free`, in any letter case.
 */
export function parseBillingCycle(text: string): BillingCycle {
  const cycle =
    SPELLINGS[
      text
        .trim()
        .toLowerCase()
        .replace(/[\s_-]+/g, '')
    ];
  if (cycle === undefined) {
    const expected = Object.values(WHMCS_CYCLE_NAMES).join(', ');
    throw new Error(`unknown billing cycle "${text}": expected one of ${expected}`);
  }
  return cycle;
}

export function isRecurring(cycle: BillingCycle): boolean {
  return MONTHS_PER_CYCLE[cycle] !== null;
}

/**
 * Boundary number `index` of a cycle: the anchor moved forward `index * months` calendar months,
 * keeping the anchor's day of month and time of day, and clamped to the last day of shorter months.
 * Each boundary is computed from the anchor, never from the previous boundary, so a Jan 31 anchor
 * gives Feb 28/29, Mar 31, Apr 30 and never drifts to the 28th.
 */
function boundaryAt(anchorMillis: number, months: number, index: number): number {
  const anchor = new Date(anchorMillis);
  const monthIndex = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + index * months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const midnight = Date.UTC(year, month, Math.min(anchor.getUTCDate(), lastDay));
  const timeOfDay =
    anchorMillis - Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), anchor.getUTCDate());
  return midnight + timeOfDay;
}

function monthsBetween(fromMillis: number, toMillis: number): number {
  const from = new Date(fromMillis);
  const to = new Date(toMillis);
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
}

/** Index of the last boundary at or before `at` (0 when `at` is before the anchor). */
function boundaryIndexAt(anchorMillis: number, months: number, atMillis: number): number {
  if (atMillis < anchorMillis) return 0;
  let index = Math.max(0, Math.floor(monthsBetween(anchorMillis, atMillis) / months) - 1);
  while (boundaryAt(anchorMillis, months, index + 1) <= atMillis) index += 1;
  return index;
}

/**
 * The first cycle boundary strictly after `after`, counted from `anchor` (the anchor itself is
 * boundary 0, so an `after` earlier than the anchor yields the anchor). Null for One Time and Free
 * Account, which never renew. Arguments are ISO instants or dates; the result is an ISO instant.
 */
export function nextCycleBoundary(cycle: BillingCycle, anchor: string, after: string): string | null {
  const months = MONTHS_PER_CYCLE[cycle];
  if (months === null) return null;
  const anchorMillis = parseInstant(anchor);
  const afterMillis = parseInstant(after);
  if (afterMillis < anchorMillis) return toInstant(anchorMillis);
  return toInstant(boundaryAt(anchorMillis, months, boundaryIndexAt(anchorMillis, months, afterMillis) + 1));
}

/**
 * The start of the cycle that contains `at`: the last boundary at or before it. A cycle that never
 * renews has one cycle, starting at the anchor; so does an `at` before the anchor (a WHMCS date in a
 * time zone ahead of UTC can be a few hours in the future).
 */
export function cycleStartAt(cycle: BillingCycle, anchor: string, at: string): string {
  const months = MONTHS_PER_CYCLE[cycle];
  const anchorMillis = parseInstant(anchor);
  if (months === null) return toInstant(anchorMillis);
  return toInstant(boundaryAt(anchorMillis, months, boundaryIndexAt(anchorMillis, months, parseInstant(at))));
}

/** Names one cycle of one service, e.g. `42:2024-02-29T00:00:00.000Z`, for once-per-cycle actions. */
export function cycleKey(serviceId: number, cycleStart: string): string {
  return `${requirePositiveId('service', serviceId)}:${normalizeInstant(cycleStart)}`;
}
