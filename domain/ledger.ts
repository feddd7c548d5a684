import { cycleKey } from './billing-cycles';
import { requirePositiveId } from './identifiers';
import type { TrafficGrant } from './traffic-grants';

/**
 * The traffic balance is a ledger: every change is a row with the balance before and after it and a
 * unique idempotency key, so a retried activity or a replayed command cannot apply twice.
 * Signs: grants and addons add bytes, usage subtracts them, adjustments go either way.
 */
export const LEDGER_ENTRY_KINDS = ['cycle_grant', 'addon', 'usage', 'adjustment'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

export interface BalanceChange {
  before: bigint;
  after: bigint;
}

export function applyEntry(balance: bigint, delta: bigint): BalanceChange {
  return { before: balance, after: balance + delta };
}

/** Why a delta has the wrong sign for its kind, or null. Zero is never worth a row. */
export function entryDeltaProblem(kind: LedgerEntryKind, delta: bigint): string | null {
  if (delta === 0n) return `${kind} entries must change the balance`;
  if ((kind === 'cycle_grant' || kind === 'addon') && delta < 0n) return `${kind} entries must add bytes`;
  if (kind === 'usage' && delta > 0n) return 'usage entries must subtract bytes';
  return null;
}

/** The ledger delta for traffic used: both directions, subtracted. */
export function usageEntryDelta(usedBytes: bigint): bigint {
  if (usedBytes < 0n) throw new Error(`invalid usage ${usedBytes}: bytes used cannot be negative`);
  return -usedBytes;
}

function keyPart(kind: string, value: string | number): string {
  const text = String(value);
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(text)) {
    throw new Error(`invalid ${kind} "${text}" for a ledger key: expected 1-100 of [A-Za-z0-9._-]`);
  }
  return text;
}

/** Idempotency keys, unique in the ledger table: the last line of defence against double entries. */
export const ledgerKeys = {
  /** One grant per service and cycle: `grant:<serviceId>:<cycleStartISO>`. */
  cycleGrant: (serviceId: number, cycleStart: string): string => `grant:${cycleKey(serviceId, cycleStart)}`,
  /** One addon per paid invoice item: `addon:<serviceId>:<invoiceId>[:<itemId>]`. */
  addon: (serviceId: number, invoiceId: string | number, itemId?: string | number): string =>
    `addon:${requirePositiveId('service', serviceId)}:${keyPart('invoice id', invoiceId)}` +
    (itemId === undefined ? '' : `:${keyPart('invoice item id', itemId)}`),
  /** One usage row per stored reading: `usage:<routerId>:<serviceId>:<readingId>`. */
  usage: (routerId: string | number, serviceId: number, readingId: string | number): string =>
    `usage:${keyPart('router id', routerId)}:${requirePositiveId('service', serviceId)}:${keyPart('reading id', readingId)}`,
  /** One adjustment per admin request: `adjustment:<serviceId>:<requestId>`. */
  adjustment: (serviceId: number, requestId: string): string =>
    `adjustment:${requirePositiveId('service', serviceId)}:${keyPart('request id', requestId)}`,
};

/**
 * The rule for unlimited products (0 GB for the cycle): there is nothing to count down from, so no
 * cycle grant is written and the balance is never enforced — no traffic suspension, no low-balance
 * notice. Usage is still written, so statistics and the audit trail stay complete, and the balance
 * may go negative. Paid addons are still written: the client paid for them, and they count if the
 * service later moves to a limited product. When it does, a negative balance is first brought back to
 * zero by one adjustment (unlimited use is not charged afterwards), then the current cycle is granted
 * under its usual key — unless that cycle was already granted, which the key prevents.
 */
export function isTrafficEnforced(grant: TrafficGrant): boolean {
  return grant !== 'unlimited';
}

/** A limited service with no bytes left is suspended for `traffic`; an unlimited one never is. */
export function isTrafficExhausted(balance: bigint, grant: TrafficGrant): boolean {
  return isTrafficEnforced(grant) && balance <= 0n;
}

/** Below the threshold but not yet exhausted; a zero threshold turns the notice off. */
export function isBalanceLow(balance: bigint, thresholdBytes: bigint, grant: TrafficGrant): boolean {
  return isTrafficEnforced(grant) && thresholdBytes > 0n && balance > 0n && balance < thresholdBytes;
}

/** The adjustment that clears what unlimited use left behind when moving to a limited product. */
export function clearNegativeBalanceDelta(balance: bigint): bigint {
  return balance < 0n ? -balance : 0n;
}
