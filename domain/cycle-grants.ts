import { normalizeInstant } from './instants';
import { ledgerKeys } from './ledger';
import { trafficGrantForCycle } from './traffic-grants';
import type { ServiceState } from './service-state';

export interface CycleGrant {
  /** Ledger idempotency key: `grant:<serviceId>:<cycleStartISO>`. */
  key: string;
  cycleStart: string;
  bytes: bigint;
}

/**
 * The grant for the cycle starting at `cycleStart` (from `cycleStartAt`, or any clock that compresses
 * time for tests), or null when none is due: a terminated service, one suspended for billing (unpaid
 * cycles get no traffic), or an unlimited product. Asked at each boundary and again on unsuspend for
 * billing; the key makes a second grant for a cycle harmless, and cycles that passed while suspended
 * are never asked for. See docs/billing-cycles.md.
 */
export function cycleGrantFor(state: ServiceState, cycleStart: string): CycleGrant | null {
  if (state.status === 'terminated' || state.suspensionReasons.includes('billing')) return null;
  const grant = trafficGrantForCycle(state.product, state.billingCycle);
  if (grant === 'unlimited') return null;
  const start = normalizeInstant(cycleStart);
  return { key: ledgerKeys.cycleGrant(state.serviceId, start), cycleStart: start, bytes: grant };
}
