import type { BillingCycle } from '../domain/billing-cycles';
import type { ProductSettings } from '../domain/product-settings';
import type { StoredReading } from '../domain/reading-order';
import type { Database } from '../infra/database';
import { productReader } from './product-reader';

/** An active service of a router as close watching starts from: its balance at its last stored reading. */
export interface WatchableService {
  serviceId: number;
  username: string;
  product: ProductSettings;
  billingCycle: BillingCycle;
  /** The balance as of `lastReading`: written in the same transaction, read in the same statement. */
  balanceBytes: bigint;
  /** The last stored reading of its queue; null before the first. */
  lastReading: StoredReading | null;
}

export interface CloseWatchStore {
  /** The router's active services; null when the router is disabled, retired or gone. */
  activeServices(routerId: number): Promise<WatchableService[] | null>;
  /**
   * Changes whenever a service of the router is created or saved (every save raises its revision):
   * the cue that an account may have been enabled, suspended or given another product.
   */
  changeMark(routerId: number): Promise<string>;
}

interface ActiveServiceRow {
  id: bigint;
  username: string;
  product: unknown;
  billing_cycle: BillingCycle;
  balance: bigint | null;
  upload_counter: bigint | null;
  download_counter: bigint | null;
  router_uptime_seconds: bigint | null;
  read_at: Date | null;
}

export function createCloseWatchStore(db: Database): CloseWatchStore {
  return {
    async activeServices(routerId) {
      const router = await db('routers').where({ id: routerId }).first('enabled', 'retired_at');
      if (!router?.enabled || router.retired_at !== null) return null;
      // One statement, so each balance and its reading come from the same committed transaction.
      const rows: ActiveServiceRow[] = await db('services as s')
        .leftJoin('meter_state as m', function joinReading() {
          this.on('m.service_id', 's.id').andOn('m.router_id', 's.router_id');
        })
        .where({ 's.router_id': routerId, 's.status': 'active' })
        .orderBy('s.id')
        .select(
          's.id',
          's.username',
          's.product',
          's.billing_cycle',
          'm.upload_counter',
          'm.download_counter',
          'm.router_uptime_seconds',
          'm.read_at',
          db.raw(
            '(select l.balance_after from traffic_ledger l where l.service_id = s.id order by l.id desc limit 1) as balance',
          ),
        );
      const productOf = productReader();
      return rows.map((row) => ({
        serviceId: Number(row.id),
        username: row.username,
        product: productOf(row.product),
        billingCycle: row.billing_cycle,
        balanceBytes: row.balance ?? 0n,
        lastReading:
          row.read_at === null
            ? null
            : {
                uploadBytes: row.upload_counter!,
                downloadBytes: row.download_counter!,
                routerUptimeSeconds: Number(row.router_uptime_seconds),
                readAtMs: row.read_at.getTime(),
              },
      }));
    },

    async changeMark(routerId) {
      const [mark]: { services: string; revisions: string | null }[] = await db('services')
        .where({ router_id: routerId })
        .select(db.raw('count(*)::text as services'), db.raw('sum(revision)::text as revisions'));
      return `${mark.services}:${mark.revisions ?? 0}`;
    },
  };
}
