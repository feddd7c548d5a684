import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BillingCycle } from '../../domain/billing-cycles';
import type { ProductSettings } from '../../domain/product-settings';
import type { SuspensionReason } from '../../domain/service-state';
import type { ServiceView } from '../../domain/service-view';

/**
 * The contract between the API and the service workflow. Everything here is plain JSON: byte counts
 * travel as decimal strings, and passwords only ever as SecretBox-sealed strings, so that neither a
 * bigint nor a readable password reaches a Temporal payload.
 */

export interface CreateServiceCommand {
  serviceId: number;
  clientId: number;
  clientEmail: string;
  clientLanguage: string;
  routerId: number;
  whmcsUsername: string | null;
  passwordSealed: string;
  product: ProductSettings;
  billingCycle: BillingCycle;
  /** ISO date-time the billing cycles count from (WHMCS registration or next due date). */
  cycleAnchor: string;
  nextDueDate: string | null;
}

export interface AddTrafficCommand {
  /** The WHMCS invoice that paid for the traffic; with the item, the idempotency key of the credit. */
  invoiceId: string;
  /** The invoice line, so that two addons on one invoice are two credits. */
  invoiceItemId?: string;
  gb: string;
  description: string;
}

/** How a command ended: applied on the router, or accepted and waiting for the router to answer. */
export type CommandOutcome = 'applied' | 'queued';

/** The service as its callers see it; one schema (domain/service-view.ts) for the workflow and the API. */
export type { ServiceView };

export interface CommandResult {
  outcome: CommandOutcome;
  service: ServiceView;
}

export interface AddTrafficResult extends CommandResult {
  /** False when the ledger already held this invoice line's credit: a repeat credits nothing. */
  credited: boolean;
  balanceBytes: string;
}

export const createServiceUpdate = defineUpdate<CommandResult, [CreateServiceCommand]>('createService');
export const suspendUpdate = defineUpdate<CommandResult, [{ reason: SuspensionReason }]>('suspend');
export const unsuspendUpdate = defineUpdate<CommandResult, [{ reason: SuspensionReason }]>('unsuspend');
export const terminateUpdate = defineUpdate<CommandResult, []>('terminate');
export const changePasswordUpdate = defineUpdate<CommandResult, [{ passwordSealed: string }]>(
  'changePassword',
);
export const changePackageUpdate = defineUpdate<
  CommandResult,
  [{ product: ProductSettings; billingCycle: BillingCycle }]
>('changePackage');
export const resetConnectionUpdate = defineUpdate<CommandResult, []>('resetConnection');
export const addTrafficUpdate = defineUpdate<AddTrafficResult, [AddTrafficCommand]>('addTraffic');
export const renewUpdate = defineUpdate<CommandResult, [{ nextDueDate: string }]>('renew');
/**
 * Tries the router again now instead of at the next backoff: after an operator fixed what made the
 * router refuse (credentials, an empty address pool), which otherwise waits an hour.
 */
export const retryRouterUpdate = defineUpdate<CommandResult, []>('retryRouter');
/**
 * Metering tells the workflow that usage moved the balance, so it can limit or restore access; the
 * workflow reads the balance from the ledger, as the one in the signal may be stale by then. A signal,
 * because the metering workflow sends it (workflows can signal each other, not update).
 */
export const balanceChangedSignal = defineSignal<[BalanceChange]>('balanceChanged');

export interface BalanceChange {
  balanceBytes: string;
  /** When the router reading behind it was taken (ISO instant): enforcement is timed from it. */
  readAt?: string;
}

export const statusQuery = defineQuery<ServiceView | null>('status');
