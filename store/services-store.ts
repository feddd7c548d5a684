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
   * is a late duplicate and changes nothing.
   */
  revision: number;
}

/** What a create asks to hold before its workflow starts: the service's row in `provisioning`. */
export type ServiceReservation = Omit<
  ServiceRecord,
  'addressId' | 'status' | 'suspensionReasons' | 'revision'
>;

/**
 * `reserved`: the row is the create's now; `exists`: the service is already live (a repeated create);
 * `username-taken`: another live service on the router holds the username.
 */
export type ReservationOutcome = 'reserved' | 'exists' | 'username-taken';

/** What the database knows of a service, for answers once its workflow has ended. */
export interface StoredService {
  serviceId: number;
  clientId: number;
  status: ServiceStatus;
  username: string;
  routerId: number;
  billingCycle: BillingCycle;
}

export interface ServicesStore {
  save(record: ServiceRecord): Promise<void>;
  find(serviceId: number): Promise<StoredService | undefined>;
  /**
   * Holds the username for the service in one statement, before anything else is written: the unique
   * index of live usernames per router decides between concurrent creates. A terminated service is
   * taken up again as a new one; its history stays.
   */
  reserve(reservation: ServiceReservation): Promise<ReservationOutcome>;
}

const UNIQUE_VIOLATION = '23505';

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
        revision: record.revision,
        terminated_at:
          record.status === 'terminated' ? db.raw('coalesce(services.terminated_at, now())') : null,
        updated_at: db.fn.now(),
      };
      const upsert = db('services')
        .insert({ ...row, terminated_at: record.status === 'terminated' ? db.fn.now() : null })
        .onConflict('id')
        // A save prepared before the address was allocated must not release it.
        .merge({ ...row, address_id: db.raw('coalesce(excluded.address_id, services.address_id)') });
      await upsert.where('services.revision', '<', record.revision);
    },
    async find(serviceId) {
      const row:
        | {
            whmcs_client_id: bigint;
            status: ServiceStatus;
            username: string;
            router_id: bigint;
            billing_cycle: BillingCycle;
          }
        | undefined = await db('services')
        .where({ id: serviceId })
        .first('whmcs_client_id', 'status', 'username', 'router_id', 'billing_cycle');
      return (
        row && {
          serviceId,
          clientId: Number(row.whmcs_client_id),
          status: row.status,
          username: row.username,
          routerId: Number(row.router_id),
          billingCycle: row.billing_cycle,
        }
      );
    },
    async reserve(reservation) {
      const row = {
        id: reservation.serviceId,
        whmcs_client_id: reservation.clientId,
        client_email: reservation.clientEmail,
        client_language: reservation.clientLanguage,
        product: JSON.stringify(reservation.product),
        router_id: reservation.routerId,
        username: reservation.username,
        password_encrypted: reservation.passwordSealed,
        address_id: null,
        status: 'provisioning',
        suspension_reasons: [],
        billing_cycle: reservation.billingCycle,
        next_due_date: reservation.nextDueDate,
        revision: 0,
        terminated_at: null,
        updated_at: db.fn.now(),
      };
      try {
        const taken = await db('services')
          .insert(row)
          .onConflict('id')
          .merge()
          .where('services.status', 'terminated')
          .returning('id');
        return taken.length > 0 ? 'reserved' : 'exists';
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return 'username-taken';
        throw error;
      }
    },
  };
}
