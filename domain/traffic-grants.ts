import type { BillingCycle } from './billing-cycles';
import type { ProductSettings } from './product-settings';
import { gbToBytes } from './units';

/*
 * Kept apart from the product settings schema: workflows import this, and each new workflow
 * evaluates its imports afresh, so zod must stay out of the workflow bundle.
 */

export type TrafficGrant = bigint | 'unlimited';

/** The traffic each cycle of the service's length grants; 0 GB in the settings means unlimited. */
export function trafficGrantForCycle(settings: ProductSettings, cycle: BillingCycle): TrafficGrant {
  const gigabytes = settings.trafficGb[cycle];
  return gigabytes === 0 ? 'unlimited' : gbToBytes(gigabytes);
}
