import type { Knex } from 'knex';
import type { Database } from '../infra/database';

export type AddressKind = 'private' | 'public';

export interface PoolAddress {
  id: number;
  address: string;
  kind: AddressKind;
  /** The live (not terminated) service holding the address; null when it is free. */
  serviceId: number | null;
  createdAt: string;
}

export interface AllocatedAddress {
  addressId: number;
  address: string;
}

export interface AddedAddresses {
  added: number;
  /** Asked for but already in the router's pool; left as they were. */
  alreadyPresent: number;
}

export interface RemovedAddresses {
  removed: number;
  /** Asked for but not in the router's pool. */
  notFound: number;
}

export interface PoolCounts {
  total: number;
  held: number;
  free: number;
}

export interface AddressListOptions {
  /** Only addresses after this one (the last of the previous page). */
  after?: string;
  limit: number;
  kind?: AddressKind;
  /** true: only held ones; false: only free ones. */
  held?: boolean;
}

export interface AddressPoolStore {
  /** Adds validated dotted-quad IPv4 addresses (as `addressesInCidr` gives them) to a router's pool. */
  add(routerId: number, addresses: readonly string[], kind: AddressKind): Promise<AddedAddresses>;
  list(routerId: number, options: AddressListOptions): Promise<PoolAddress[]>;
  counts(routerId: number): Promise<Record<AddressKind, PoolCounts>>;
  /** All or nothing: fails with AddressesHeldError, removing none, when a live service holds any. */
  remove(routerId: number, addresses: readonly string[]): Promise<RemovedAddresses>;
  /**
   * Gives the service a free address of the router's pool and records it on the service. Idempotent:
   * a service that already holds an address of this router gets that one back, whatever its kind.
   * Fails with AddressPoolError: `exhausted`, `service-not-found` or `service-terminated`.
   */
  allocate(routerId: number, serviceId: number, kind?: AddressKind): Promise<AllocatedAddress>;
  /** Frees the service's address; returns it, or undefined when the service held none. */
  release(serviceId: number): Promise<string | undefined>;
}

export type AddressPoolErrorReason = 'exhausted' | 'service-not-found' | 'service-terminated';

export class AddressPoolError extends Error {
  constructor(
    readonly reason: AddressPoolErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'AddressPoolError';
  }
}

export class AddressesHeldError extends Error {
  constructor(readonly held: { address: string; serviceId: number }[]) {
    super(`${held.length} of the addresses are held by live services`);
    this.name = 'AddressesHeldError';
  }
}

/** The most a single call may add or remove as a range: a /16. */
export const SHORTEST_PREFIX = 16;

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseIpv4(text: string): number | undefined {
  if (!IPV4.test(text)) return undefined;
  return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/**
 * The assignable addresses of an IPv4 CIDR range (`10.0.0.0/24`): every address for /31 and /32
 * (point-to-point and host routes have no network or broadcast address), every one but the first
 * and last otherwise. Throws a RangeError naming what is wrong.
 */
export function addressesInCidr(cidr: string): string[] {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  const base = match ? parseIpv4(match[1]) : undefined;
  const prefix = match ? Number(match[2]) : NaN;
  if (base === undefined || !(prefix >= 0 && prefix <= 32))
    throw new RangeError('must be an IPv4 CIDR range like 10.0.0.0/24');
  if (prefix < SHORTEST_PREFIX) throw new RangeError(`must be a /${SHORTEST_PREFIX} or smaller`);
  const size = 2 ** (32 - prefix);
  if (base % size !== 0)
    throw new RangeError(`has host bits set: the network is ${formatIpv4(base - (base % size))}/${prefix}`);
  const [first, last] = prefix >= 31 ? [base, base + size - 1] : [base + 1, base + size - 2];
  const addresses: string[] = [];
  for (let value = first; value <= last; value += 1) addresses.push(formatIpv4(value));
  return addresses;
}

const UNIQUE_VIOLATION = '23505';
const ALLOCATION_ATTEMPTS = 10;

/** A PostgreSQL array literal, one bound parameter however long the list; the items are validated addresses or ids. */
function pgArray(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}

interface AddressRow {
  id: bigint;
  address: string;
  kind: AddressKind;
  service_id: bigint | null;
  created_at: Date;
}

function toPoolAddress(row: AddressRow): PoolAddress {
  return {
    id: Number(row.id),
    address: row.address,
    kind: row.kind,
    serviceId: row.service_id === null ? null : Number(row.service_id),
    createdAt: row.created_at.toISOString(),
  };
}

const LIVE_HOLDER = `left join services s on s.address_id = a.id and s.status <> 'terminated'`;

async function allocateOnce(
  trx: Knex.Transaction,
  routerId: number,
  serviceId: number,
  kind: AddressKind,
): Promise<AllocatedAddress> {
  // Locking the service row makes concurrent allocations for one service take turns, so the second
  // finds the first one's address instead of taking another.
  const service: { status: string; address_id: bigint | null } | undefined = await trx('services')
    .select('status', 'address_id')
    .where({ id: serviceId })
    .forUpdate()
    .first();
  if (!service) throw new AddressPoolError('service-not-found', `Service ${serviceId} does not exist`);
  if (service.status === 'terminated')
    throw new AddressPoolError('service-terminated', `Service ${serviceId} is terminated`);
  if (service.address_id !== null) {
    const current: { address: string } | undefined = await trx('router_addresses')
      .select(trx.raw('host(address) as address'))
      .where({ id: service.address_id, router_id: routerId })
      .first();
    if (current) return { addressId: Number(service.address_id), address: current.address };
  }
  // skip locked lets concurrent allocations pass each other; one that still picks an address taken by a
  // transaction committed meanwhile hits the services_live_address unique index and is retried.
  const { rows } = await trx.raw<{ rows: { id: bigint; address: string }[] }>(
    `select a.id, host(a.address) as address
       from router_addresses a
      where a.router_id = ? and a.kind = ?
        and not exists (select 1 from services s where s.address_id = a.id and s.status <> 'terminated')
      order by a.address
      limit 1
      for update of a skip locked`,
    [routerId, kind],
  );
  const [free] = rows;
  if (!free)
    throw new AddressPoolError(
      'exhausted',
      `Router ${routerId} has no free ${kind} address left in its pool`,
    );
  await trx('services').where({ id: serviceId }).update({ address_id: free.id, updated_at: trx.fn.now() });
  return { addressId: Number(free.id), address: free.address };
}

export function createAddressPoolStore(db: Database): AddressPoolStore {
  return {
    async add(routerId, addresses, kind) {
      const unique = [...new Set(addresses)];
      if (unique.length === 0) return { added: 0, alreadyPresent: 0 };
      const { rowCount } = await db.raw(
        `insert into router_addresses (router_id, address, kind)
         select ?, unnest(?::inet[]), ?
         on conflict (router_id, address) do nothing`,
        [routerId, pgArray(unique), kind],
      );
      const added = rowCount ?? 0;
      return { added, alreadyPresent: unique.length - added };
    },

    async list(routerId, { after, limit, kind, held }) {
      const { rows } = await db.raw<{ rows: AddressRow[] }>(
        `select a.id, host(a.address) as address, a.kind, s.id as service_id, a.created_at
           from router_addresses a ${LIVE_HOLDER}
          where a.router_id = ?
            and (?::inet is null or a.address > ?::inet)
            and (?::text is null or a.kind = ?)
            and (?::boolean is null or (s.id is not null) = ?)
          order by a.address
          limit ?`,
        [
          routerId,
          after ?? null,
          after ?? null,
          kind ?? null,
          kind ?? null,
          held ?? null,
          held ?? null,
          limit,
        ],
      );
      return rows.map(toPoolAddress);
    },

    async counts(routerId) {
      const { rows } = await db.raw<{ rows: { kind: AddressKind; total: bigint; held: bigint }[] }>(
        `select a.kind, count(*) as total, count(s.id) as held
           from router_addresses a ${LIVE_HOLDER}
          where a.router_id = ?
          group by a.kind`,
        [routerId],
      );
      const counts: Record<AddressKind, PoolCounts> = {
        private: { total: 0, held: 0, free: 0 },
        public: { total: 0, held: 0, free: 0 },
      };
      for (const row of rows) {
        const total = Number(row.total);
        const held = Number(row.held);
        counts[row.kind] = { total, held, free: total - held };
      }
      return counts;
    },

    async remove(routerId, addresses) {
      if (addresses.length === 0) return { removed: 0, notFound: 0 };
      return db.transaction(async (trx) => {
        // Lock first, then look for holders in a statement of its own: its snapshot is taken after any
        // allocation that held the lock has committed, so it sees that allocation.
        const { rows: locked } = await trx.raw<{ rows: { id: bigint }[] }>(
          `select id from router_addresses where router_id = ? and address = any(?::inet[]) for update`,
          [routerId, pgArray(addresses)],
        );
        const ids = pgArray(locked.map((row) => row.id.toString()));
        const { rows: held } = await trx.raw<{ rows: { address: string; service_id: bigint }[] }>(
          `select host(a.address) as address, s.id as service_id
             from router_addresses a join services s on s.address_id = a.id and s.status <> 'terminated'
            where a.id = any(?::bigint[])
            order by a.address`,
          [ids],
        );
        if (held.length > 0) {
          throw new AddressesHeldError(
            held.map((row) => ({ address: row.address, serviceId: Number(row.service_id) })),
          );
        }
        // A terminated service keeps its history but lets go of the address it had.
        await trx.raw(
          `update services set address_id = null, updated_at = now()
            where address_id = any(?::bigint[]) and status = 'terminated'`,
          [ids],
        );
        await trx.raw(`delete from router_addresses where id = any(?::bigint[])`, [ids]);
        return { removed: locked.length, notFound: new Set(addresses).size - locked.length };
      });
    },

    async allocate(routerId, serviceId, kind = 'private') {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await db.transaction((trx) => allocateOnce(trx, routerId, serviceId, kind));
        } catch (error) {
          const retry =
            (error as { code?: string }).code === UNIQUE_VIOLATION && attempt < ALLOCATION_ATTEMPTS;
          if (!retry) throw error;
        }
      }
    },

    async release(serviceId) {
      const { rows } = await db.raw<{ rows: { address: string | null }[] }>(
        `update services s
            set address_id = null, updated_at = now()
           from services previous
           left join router_addresses a on a.id = previous.address_id
          where s.id = ? and previous.id = s.id and previous.address_id is not null
          returning host(a.address) as address`,
        [serviceId],
      );
      return rows[0]?.address ?? undefined;
    },
  };
}
