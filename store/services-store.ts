import type { BillingCycle } from '../domain/billing-cycles';
import type { ProductSettings } from '../domain/product-settings';
import { SERVICE_STATUSES, type ServiceStatus, type SuspensionReason } from '../domain/service-state';
import type { Knex } from 'knex';
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

export interface ServiceFilter {
  status?: ServiceStatus;
  routerId?: number;
  clientId?: number;
  /** A prefix of the PPP username. */
  usernamePrefix?: string;
  afterId: number;
  limit: number;
}

export interface ServiceSummary extends StoredService {
  clientEmail: string;
  balanceBytes: bigint;
  updatedAt: Date;
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
  suspensionReasons: SuspensionReason[];
  username: string;
  routerId: number;
  address: string | null;
  billingCycle: BillingCycle;
  product: ProductSettings;
  createdAt: Date;
}

export interface ServicesStore {
  save(record: ServiceRecord): Promise<void>;
  find(serviceId: number): Promise<StoredService | undefined>;
  /** The router's services that are not terminated, in id order: what WHMCS's server sync compares. */
  listOnRouter(routerId: number): Promise<StoredService[]>;
  /** One page of services in id order, with their balance, for administrators. */
  list(filter: ServiceFilter): Promise<ServiceSummary[]>;
  /** How many services are in each status, for the services-by-status gauge. */
  countByStatus(): Promise<Record<ServiceStatus, number>>;
  /** Services still being provisioned on the router for want of an address. */
  waitingForAddress(routerId: number): Promise<number[]>;
  /**
   * Holds the username for the service in one statement, before anything else is written: the unique
   * index of live usernames per router decides between concurrent creates. A terminated service is
   * taken up again as a new one; its history stays.
   */
  reserve(reservation: ServiceReservation): Promise<ReservationOutcome>;
}

const UNIQUE_VIOLATION = '23505';

interface StoredServiceRow {
  id: bigint;
  whmcs_client_id: bigint;
  status: ServiceStatus;
  suspension_reasons: SuspensionReason[];
  username: string;
  router_id: bigint;
  address: string | null;
  billing_cycle: BillingCycle;
  product: ProductSettings;
  created_at: Date;
}

function selectServices(db: Database): Knex.QueryBuilder<StoredServiceRow, StoredServiceRow[]> {
  return db('services as s')
    .leftJoin('router_addresses as a', 'a.id', 's.address_id')
    .select(
      's.id',
      's.whmcs_client_id',
      's.status',
      's.suspension_reasons',
      's.username',
      's.router_id',
      db.raw('host(a.address) as address'),
      's.billing_cycle',
      's.product',
      's.created_at',
    );
}

function storedService(row: StoredServiceRow): StoredService {
  return {
    serviceId: Number(row.id),
    clientId: Number(row.whmcs_client_id),
    status: row.status,
    suspensionReasons: row.suspension_reasons,
    username: row.username,
    routerId: Number(row.router_id),
    address: row.status === 'terminated' ? null : row.address,
    billingCycle: row.billing_cycle,
    product: row.product,
    createdAt: row.created_at,
  };
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
      const [found] = await selectServices(db).where('s.id', serviceId);
      return found && storedService(found);
    },
    async listOnRouter(routerId) {
      const rows = await selectServices(db)
        .where('s.router_id', routerId)
        .whereNot('s.status', 'terminated')
        .orderBy('s.id');
      return rows.map(storedService);
    },
    async list(filter) {
      const rows: (StoredServiceRow & { client_email: string; balance: bigint | null; updated_at: Date })[] =
        await selectServices(db)
          .where('s.id', '>', filter.afterId)
          .modify((query) => {
            if (filter.status) query.where('s.status', filter.status);
            if (filter.routerId) query.where('s.router_id', filter.routerId);
            if (filter.clientId) query.where('s.whmcs_client_id', filter.clientId);
            if (filter.usernamePrefix) {
              query.whereLike('s.username', `${filter.usernamePrefix.replace(/[\\%_]/g, '\\$&')}%`);
            }
          })
          .orderBy('s.id')
          .limit(filter.limit)
          .select(
            's.client_email',
            's.updated_at',
            db.raw(
              '(select balance_after from traffic_ledger l where l.service_id = s.id order by l.id desc limit 1) as balance',
            ),
          );
      return rows.map((row) => ({
        ...storedService(row),
        clientEmail: row.client_email,
        balanceBytes: row.balance ?? 0n,
        updatedAt: row.updated_at,
      }));
    },
    async countByStatus() {
      const rows: { status: ServiceStatus; count: string }[] = await db('services')
        .groupBy('status')
        .select('status', db.raw('count(*) as count'));
      const counts = Object.fromEntries(SERVICE_STATUSES.map((status) => [status, 0])) as Record<
        ServiceStatus,
        number
      >;
      for (const row of rows) counts[row.status] = Number(row.count);
      return counts;
    },
    async waitingForAddress(routerId) {
      const ids: bigint[] = await db('services')
        .where({ router_id: routerId, status: 'provisioning' })
        .whereNull('address_id')
        .pluck('id');
      return ids.map(Number);
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
