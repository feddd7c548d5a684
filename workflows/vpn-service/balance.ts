import { ApplicationFailure } from '@temporalio/workflow';
import { cycleStart } from '../../domain/cycle-clock';
import { cycleGrantFor } from '../../domain/cycle-grants';
import { FAILURE } from '../../domain/failures';
import { isBalanceLow, isTrafficExhausted, ledgerKeys } from '../../domain/ledger';
import type { ServiceCommand } from '../../domain/service-state';
import { trafficGrantForCycle } from '../../domain/traffic-grants';
import { gbToBytes } from '../../domain/units';
import { unlessRefused, updateFailure } from '../activity-failures';
import type { AddTrafficCommand } from './messages';
import type { VpnService } from './service';

/*
 * The traffic balance lives in the ledger; the workflow writes grants and addons to it and keeps the
 * account's access in line with the balance each write (or a look at the ledger) returns.
 */

/**
 * Limits the account when its traffic has run out and restores it when traffic is back, and tells the
 * client when that changes their access or the balance runs low. `foundAtMs` is when the balance was
 * read from the router or the ledger: the limit is timed from it.
 */
function enforceBalance(service: VpnService, balance: bigint, foundAtMs = Date.now()): void {
  const { product, billingCycle, suspensionReasons, status } = service.state;
  // Once terminated there is no access left to limit and nobody to tell.
  if (status === 'terminated') return;
  const grant = trafficGrantForCycle(product, billingCycle);
  if (isTrafficExhausted(balance, grant)) {
    if (suspensionReasons.includes('traffic')) return;
    service.apply({ type: 'suspend', reason: 'traffic' });
    service.router.timeLimitFrom(foundAtMs);
    if (status === 'active') service.notices.notify('traffic-exhausted', balance);
    return;
  }
  if (suspensionReasons.includes('traffic')) {
    service.apply({ type: 'unsuspend', reason: 'traffic' });
    service.router.stopTimingLimit();
    if (service.state.status === 'active') service.notices.notify('traffic-restored', balance);
  }
  const threshold = gbToBytes(product.lowBalanceThresholdGb);
  if (service.state.status === 'active' && isBalanceLow(balance, threshold, grant)) {
    service.notices.notify('low-balance', balance);
  }
}

/**
 * Grants the traffic of the cycle that `at` falls in; the cycle's ledger key makes a second grant
 * harmless. A grant the database refuses is logged and skipped rather than holding up the service.
 */
export async function grantCycle(service: VpnService, at: string): Promise<void> {
  const start = cycleStart(service.clock, service.state.billingCycle, service.cycleAnchor, at);
  const grant = cycleGrantFor(service.state, start);
  if (grant === null) return;
  await unlessRefused(`cycle grant ${grant.key}`, async () => {
    const entry = await service.database.appendLedgerEntry({
      serviceId: service.serviceId,
      kind: 'cycle_grant',
      deltaBytes: grant.bytes.toString(),
      idempotencyKey: grant.key,
      description: `Traffic for the cycle from ${start}`,
      invoiceRef: null,
    });
    enforceBalance(service, BigInt(entry.balanceAfter));
  });
}

/** After a balance signal: the ledger, not the signal, says what the balance is now. */
export async function checkBalance(service: VpnService): Promise<void> {
  service.balanceCheckPending = false;
  const readAtMs = service.balanceReadAtMs;
  service.balanceReadAtMs = undefined;
  const balance = BigInt(await service.database.serviceBalance({ serviceId: service.serviceId }));
  enforceBalance(service, balance, readAtMs);
}

/**
 * What an addon asks of the state machine (a terminated service refuses it), and the ledger entry that
 * credits it once per invoice line. A value that cannot key or count the credit is refused up front.
 */
export function addonTransition(serviceId: number, { invoiceId, invoiceItemId, gb }: AddTrafficCommand) {
  try {
    const bytes = gbToBytes(gb);
    const transition: ServiceCommand = { type: 'addTraffic', bytes };
    return { transition, bytes, key: ledgerKeys.addon(serviceId, invoiceId, invoiceItemId) };
  } catch (error) {
    throw ApplicationFailure.create({
      type: FAILURE.invalidInput,
      message: error instanceof Error ? error.message : String(error),
      nonRetryable: true,
    });
  }
}

/**
 * Credits a paid addon and enforces the balance it leaves. `credited` is false when the ledger held
 * this line's credit already; a write the database refuses fails the update and changes nothing.
 */
export async function creditAddon(
  service: VpnService,
  command: AddTrafficCommand,
): Promise<{ credited: boolean; balanceBytes: string }> {
  const { transition, bytes, key } = addonTransition(service.serviceId, command);
  service.apply(transition);
  const entry = await service.database
    .appendLedgerEntry({
      serviceId: service.serviceId,
      kind: 'addon',
      deltaBytes: bytes.toString(),
      idempotencyKey: key,
      description: command.description,
      invoiceRef: command.invoiceId,
    })
    .catch((error: unknown) => {
      throw updateFailure(error);
    });
  enforceBalance(service, BigInt(entry.balanceAfter));
  return { credited: entry.applied, balanceBytes: entry.balanceAfter };
}
