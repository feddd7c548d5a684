import type { BillingCycle } from '../domain/billing-cycles';
import type { ProductSettings } from '../domain/product-settings';
import type { ServiceStatus, SuspensionReason } from '../domain/service-state';
import type { Database } from '../infra/database';

/** The database's copy of a service, written by its workflow (the source of truth) after each change. */
export interface ServiceRecord {
  serviceId: number;
  clientId: number;
  clientEmail: string;
  clientLanguage: string;
  product: ProductSettings;
  routerId: number;
  username: string;
  /** SecretBox-sealed; the same sealed string the workflow carries. */
  passwordSealed: string;
  addressId: string | null;
  status: ServiceStatus;
  suspensionReasons: SuspensionReason[];
  billingCycle: BillingCycle;
  nextDueDate: string | null;
  /**
   * Rises with every save of the service's workflow; a save whose revision is not above the stored one
   * is a late duplicate and changes nothing. Absent in saves scheduled by workflow code from before
   * revisions, which apply as they always did.
   */
  revision?: number;
}

export interface ServicesStore {
  save(record: ServiceRecord): Promise<void>;
  /** True when another live service on the router already uses the username. */
  usernameTaken(routerId: number, username: string, serviceId: number): Promise<boolean>;
}

export function createServicesStore(db: Database): ServicesStore {
  return {
    async save(record) {
      const row = {
        id: record.serviceId,
        whmcs_client_id: record.clientId,
        client_email: record.clientEmail,
        client_language: record.clientLanguage,
        product: JSON.stringify(record.product),
        router_id: record.routerId,
        username: record.username,
        password_encrypted: record.passwordSealed,
        address_id: record.addressId,
        status: record.status,
        suspension_reasons: record.suspensionReasons,
        billing_cycle: record.billingCycle,
        next_due_date: record.nextDueDate,
        revision: record.revision ?? 0,
        terminated_at:
          record.status === 'terminated' ? db.raw('coalesce(services.terminated_at, now())') : null,
        updated_at: db.fn.now(),
      };
      const upsert = db('services')
        .insert({ ...row, terminated_at: record.status === 'terminated' ? db.fn.now() : null })
        .onConflict('id')
        // A save prepared before the address was allocated must not release it.
        .merge({ ...row, address_id: db.raw('coalesce(excluded.address_id, services.address_id)') });
      await (record.revision === undefined
        ? upsert
        : upsert.where('services.revision', '<', record.revision));
    },
    async usernameTaken(routerId, username, serviceId) {
      const found = await db('services')
        .where({ router_id: routerId, username })
        .whereNot({ status: 'terminated' })
        .whereNot({ id: serviceId })
        .first('id');
      return found !== undefined;
    },
  };
}
