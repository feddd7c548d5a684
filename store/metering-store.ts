import type { Knex } from 'knex';
import { ledgerKeys, usageEntryDelta } from '../domain/ledger';
import { trafficGrantForCycle, type TrafficGrant } from '../domain/traffic-grants';
import type { BillingCycle } from '../domain/billing-cycles';
import { gbToBytes } from '../domain/units';
import { usageSinceStored } from '../domain/reading-order';
import { totalBytes, type BaselineReason } from '../domain/usage';
import type { Database } from '../infra/database';
import { insertAll, selectIn } from './batches';
import { createCloseWatchStore, type CloseWatchStore } from './close-watch-store';
import { productReader } from './product-reader';
import { latestBalances, ledgerRow, recordedKeys } from './ledger-store';
import type { ActiveSession, QueueCounters } from '../routeros';

/** When and at which uptime a router's counters were read (see domain/reading-order.ts). */
interface ReadingTime {
  uptimeSeconds: number;
  /** When the reply arrived. */
  readAt: Date;
  /** When the counters were asked for; absent, the reading is taken as the newest (a router's only reader). */
  requestedAt?: Date;
}

interface Counters {
  uploadBytes: bigint;
  downloadBytes: bigint;
}

/** One metering read of a router: its uptime, every static queue's counters and who is online. */
export interface RouterReading extends ReadingTime {
  counters: ReadonlyArray<Pick<QueueCounters, 'name'> & Counters>;
  sessions: ReadonlyArray<
    Pick<ActiveSession, 'name' | 'callerId' | 'address' | 'uptimeSeconds'> & { service?: string }
  >;
}

/** One account's counters, read on their own: by close watching, or for the last time before a terminate. */
export interface ServiceReading extends ReadingTime {
  requestedAt: Date;
  counters: Counters;
}

/** What one reading did to one service, with what the caller needs to decide on limits and notices. */
export interface MeteredService {
  serviceId: number;
  /** Bytes this call wrote to the ledger and the daily rows; 0n when nothing was new. */
  usedBytes: bigint;
  usageRecorded: boolean;
  newBaseline: BaselineReason | null;
  balanceBytes: bigint;
  lowBalanceThresholdBytes: bigint;
  /** The product's grant per cycle; `unlimited` is never enforced. */
  trafficGrant: TrafficGrant;
  suspendedForTraffic: boolean;
}

/** Metering's database work: readings into usage, and what close watching starts from. */
export interface MeteringStore extends CloseWatchStore {
  listEnabledRouterIds(): Promise<number[]>;
  /**
   * Turns a router's reading into usage in one transaction: new meter state, daily rows, ledger
   * entries and live sessions. A repeated call with the same reading counts nothing twice.
   */
  recordRouterReading(routerId: number, reading: RouterReading): Promise<MeteredService[]>;
  /**
   * One service's counters by the same rules, in one transaction, leaving the router's other services
   * and its live sessions alone; undefined when the service is not on that router.
   */
  recordServiceReading(
    routerId: number,
    serviceId: number,
    reading: ServiceReading,
  ): Promise<MeteredService | undefined>;
  /** A pass that gave up on the router, for the admin API. */
  recordRouterFailure(routerId: number, error: string, at: Date): Promise<void>;
}

interface LiveServiceRow {
  id: bigint;
  username: string;
  product: unknown;
  billing_cycle: BillingCycle;
  suspension_reasons: string[];
}

interface MeterStateRow {
  service_id: bigint;
  download_counter: bigint;
  upload_counter: bigint;
  router_uptime_seconds: bigint;
  read_at: Date;
}

export function createMeteringStore(db: Database): MeteringStore {
  return {
    ...createCloseWatchStore(db),
    async listEnabledRouterIds() {
      const rows: { id: bigint }[] = await db('routers').where({ enabled: true }).orderBy('id').select('id');
      return rows.map((row) => Number(row.id));
    },

    recordRouterReading(routerId, reading) {
      return db.transaction((trx) => recordReading(trx, routerId, reading));
    },

    recordServiceReading(routerId, serviceId, reading) {
      return db.transaction(async (trx) => {
        const service: LiveServiceRow | undefined = await trx('services')
          .where({ id: serviceId, router_id: routerId })
          .forUpdate()
          .first('id', 'username', 'product', 'billing_cycle', 'suspension_reasons');
        if (!service) return undefined;
        const [metered] = await meterServices(trx, routerId, reading, [
          { service, counters: reading.counters },
        ]);
        return metered;
      });
    },

    async recordRouterFailure(routerId, error, at) {
      // A router deleted during the pass has no status to keep.
      await db.raw(
        `insert into router_metering (router_id, last_attempt_at, last_error, consecutive_failures)
         select id, ?, ?, 1 from routers where id = ?
         on conflict (router_id) do update set
           last_attempt_at = excluded.last_attempt_at,
           last_error = excluded.last_error,
           consecutive_failures = router_metering.consecutive_failures + 1`,
        [at, error, routerId],
      );
    },
  };
}

async function recordReading(
  trx: Knex.Transaction,
  routerId: number,
  reading: RouterReading,
): Promise<MeteredService[]> {
  const countersByName = new Map(reading.counters.map((counters) => [counters.name, counters]));
  // The ledger's rule: one writer per service at a time, by the service row's lock, taken in id
  // order so that two passes over the same router cannot deadlock.
  const services = await selectIn<LiveServiceRow>([...countersByName.keys()], (names) =>
    trx('services')
      .where({ router_id: routerId })
      .whereNot({ status: 'terminated' })
      .whereIn('username', names)
      .orderBy('id')
      .forUpdate()
      .select('id', 'username', 'product', 'billing_cycle', 'suspension_reasons'),
  );
  const results = await meterServices(
    trx,
    routerId,
    reading,
    services.map((service) => ({ service, counters: countersByName.get(service.username)! })),
  );
  await replaceLiveSessions(trx, routerId, reading, services);

  const bytes = results.reduce((sum, result) => sum + result.usedBytes, 0n);
  await trx('router_metering')
    .insert({
      router_id: routerId,
      last_attempt_at: reading.readAt,
      last_success_at: reading.readAt,
      last_error: null,
      consecutive_failures: 0,
      services_metered: results.length,
      bytes_metered: bytes,
    })
    .onConflict('router_id')
    .merge();
  return results;
}

/**
 * Usage of each service since its stored reading (domain/reading-order.ts), written with the new
 * reading: meter state, daily rows and ledger entries, under the services' locks, which the caller
 * holds. A reading that may be older than the stored one leaves that service as it was.
 */
async function meterServices(
  trx: Knex.Transaction,
  routerId: number,
  time: ReadingTime,
  readings: ReadonlyArray<{ service: LiveServiceRow; counters: Counters }>,
): Promise<MeteredService[]> {
  const serviceIds = readings.map(({ service }) => String(service.id));
  const states = await selectIn<MeterStateRow>(serviceIds, (ids) =>
    trx('meter_state')
      .where({ router_id: routerId })
      .whereIn('service_id', ids)
      .forUpdate()
      .select('service_id', 'download_counter', 'upload_counter', 'router_uptime_seconds', 'read_at'),
  );
  const stateOf = new Map(states.map((state) => [String(state.service_id), state]));
  const balanceOf = await latestBalances(trx, serviceIds);

  const readingKey = (serviceId: number, counters: Counters) =>
    ledgerKeys.usage(
      routerId,
      serviceId,
      `${time.uptimeSeconds}-${counters.uploadBytes}-${counters.downloadBytes}`,
    );
  const existingKeys = await recordedKeys(
    trx,
    readings.map(({ service, counters }) => readingKey(Number(service.id), counters)),
  );

  const day = time.readAt.toISOString().slice(0, 10);
  const productOf = productReader();
  const meterStates: Record<string, unknown>[] = [];
  const dailyRows: Record<string, unknown>[] = [];
  const ledgerRows: Record<string, unknown>[] = [];
  const results: MeteredService[] = [];
  for (const { service, counters } of readings) {
    const serviceId = Number(service.id);
    const last = stateOf.get(String(service.id));
    const delta = usageSinceStored(
      last
        ? {
            uploadBytes: last.upload_counter,
            downloadBytes: last.download_counter,
            routerUptimeSeconds: Number(last.router_uptime_seconds),
            readAtMs: last.read_at.getTime(),
          }
        : null,
      {
        uploadBytes: counters.uploadBytes,
        downloadBytes: counters.downloadBytes,
        routerUptimeSeconds: time.uptimeSeconds,
        requestedAtMs: time.requestedAt?.getTime(),
        readAtMs: time.readAt.getTime(),
      },
    );
    let balance = balanceOf.get(String(service.id)) ?? 0n;
    const used = delta === 'stale' ? 0n : totalBytes(delta);
    const key = readingKey(serviceId, counters);
    const recorded = used > 0n && !existingKeys.has(key);
    if (delta !== 'stale') {
      meterStates.push({
        router_id: routerId,
        service_id: serviceId,
        download_counter: counters.downloadBytes,
        upload_counter: counters.uploadBytes,
        router_uptime_seconds: time.uptimeSeconds,
        read_at: time.readAt,
      });
    }
    if (recorded && delta !== 'stale') {
      const entry = ledgerRow(
        {
          serviceId,
          kind: 'usage',
          deltaBytes: usageEntryDelta(used),
          idempotencyKey: key,
          description: `Traffic used: ${delta.downloadBytes} bytes down, ${delta.uploadBytes} bytes up`,
          invoiceRef: null,
          at: time.readAt,
        },
        balance,
      );
      ledgerRows.push(entry.row);
      dailyRows.push({
        service_id: serviceId,
        day,
        download_bytes: delta.downloadBytes,
        upload_bytes: delta.uploadBytes,
      });
      balance = entry.balanceAfter;
    }
    const product = productOf(service.product);
    results.push({
      serviceId,
      usedBytes: recorded ? used : 0n,
      usageRecorded: recorded,
      newBaseline: delta === 'stale' ? null : delta.newBaseline,
      balanceBytes: balance,
      lowBalanceThresholdBytes: gbToBytes(product.lowBalanceThresholdGb),
      trafficGrant: trafficGrantForCycle(product, service.billing_cycle),
      suspendedForTraffic: service.suspension_reasons.includes('traffic'),
    });
  }

  await insertAll(trx, 'meter_state', meterStates, (insert) =>
    insert.onConflict(['router_id', 'service_id']).merge({
      download_counter: trx.raw('excluded.download_counter'),
      upload_counter: trx.raw('excluded.upload_counter'),
      router_uptime_seconds: trx.raw('excluded.router_uptime_seconds'),
      // A crossing reading that continued the stored one may have arrived first: the later arrival
      // stays the mark that newer readings are asked for after.
      read_at: trx.raw('greatest(meter_state.read_at, excluded.read_at)'),
    }),
  );
  await insertAll(trx, 'daily_usage', dailyRows, (insert) =>
    insert.onConflict(['service_id', 'day']).merge({
      download_bytes: trx.raw('daily_usage.download_bytes + excluded.download_bytes'),
      upload_bytes: trx.raw('daily_usage.upload_bytes + excluded.upload_bytes'),
    }),
  );
  await insertAll(trx, 'traffic_ledger', ledgerRows);
  return results;
}

async function replaceLiveSessions(
  trx: Knex.Transaction,
  routerId: number,
  reading: RouterReading,
  services: readonly LiveServiceRow[],
): Promise<void> {
  await trx('live_sessions').where({ router_id: routerId }).delete();
  const serviceByName = new Map(services.map((service) => [service.username, service.id]));
  const rows = reading.sessions.flatMap((session) => {
    const serviceId = serviceByName.get(session.name);
    if (serviceId === undefined) return [];
    return [
      {
        router_id: routerId,
        service_id: serviceId,
        service: session.service || null,
        caller_id: session.callerId ?? null,
        address: session.address ?? null,
        uptime_seconds: session.uptimeSeconds ?? null,
        seen_at: reading.readAt,
      },
    ];
  });
  await insertAll(trx, 'live_sessions', rows);
}
