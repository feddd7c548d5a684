import type { Database } from '../infra/database';
import { readLedgerEntries, type LedgerEntry } from './ledger-store';

/** What the API reads about a service before it may answer for it. */
export interface ServiceAccess {
  routerId: number;
  clientId: number;
  status: string;
  suspensionReasons: string[];
  username: string;
}

export interface UsageTotals {
  downloadBytes: bigint;
  uploadBytes: bigint;
}

export interface DailyUsage extends UsageTotals {
  day: string;
  /** The traffic balance at the end of the day: the newest ledger entry's balance by then. */
  balanceBytes: bigint;
}

export interface MonthlyUsage extends UsageTotals {
  month: string;
}

export interface MeteredSession {
  protocol: string | null;
  callerId: string | null;
  address: string | null;
  uptimeSeconds: number | null;
  seenAt: Date;
}

export interface RouterMeteringState {
  routerId: number;
  name: string;
  enabled: boolean;
  createdAt: Date;
  lastAttemptAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
  servicesMetered: number;
  bytesMetered: bigint;
}

/** The reads behind the statistics, live and overview answers: what metering and the ledger stored. */
export interface StatisticsStore {
  serviceAccess(serviceId: number): Promise<ServiceAccess | undefined>;
  dailyUsage(serviceId: number, from: string, to: string): Promise<DailyUsage[]>;
  monthlyUsage(serviceId: number, fromDay: string): Promise<MonthlyUsage[]>;
  /** Usage summed from `fromDay` on. */
  usageSince(serviceId: number, fromDay: string): Promise<UsageTotals>;
  /** Grants, addons and adjustments, newest first. */
  credits(serviceId: number, limit: number): Promise<LedgerEntry[]>;
  /** When the newest cycle grant was written: the start of the cycle as the ledger saw it. */
  lastGrantAt(serviceId: number): Promise<Date | undefined>;
  meteredSessions(serviceId: number, routerId: number): Promise<MeteredSession[]>;
  /** Every live router (not retired), or the one asked for. */
  routerMetering(routerId?: number): Promise<RouterMeteringState[]>;
}

export function createStatisticsStore(db: Database): StatisticsStore {
  return {
    async serviceAccess(serviceId) {
      const row:
        | {
            router_id: bigint;
            whmcs_client_id: bigint;
            status: string;
            suspension_reasons: string[];
            username: string;
          }
        | undefined = await db('services')
        .where({ id: serviceId })
        .first('router_id', 'whmcs_client_id', 'status', 'suspension_reasons', 'username');
      return (
        row && {
          routerId: Number(row.router_id),
          clientId: Number(row.whmcs_client_id),
          status: row.status,
          suspensionReasons: row.suspension_reasons,
          username: row.username,
        }
      );
    },

    async dailyUsage(serviceId, from, to) {
      const { rows } = await db.raw<{
        rows: { day: string; download_bytes: bigint; upload_bytes: bigint; balance: bigint | null }[];
      }>(
        `select to_char(u.day, 'YYYY-MM-DD') as day, u.download_bytes, u.upload_bytes,
                (select l.balance_after from traffic_ledger l
                  where l.service_id = u.service_id and l.at < u.day + 1
                  order by l.id desc limit 1) as balance
           from daily_usage u
          where u.service_id = ? and u.day between ? and ?
          order by u.day desc`,
        [serviceId, from, to],
      );
      return rows.map((row) => ({
        day: row.day,
        downloadBytes: row.download_bytes,
        uploadBytes: row.upload_bytes,
        balanceBytes: row.balance ?? 0n,
      }));
    },

    async monthlyUsage(serviceId, fromDay) {
      const rows: { month: string; download_bytes: bigint; upload_bytes: bigint }[] = await db('daily_usage')
        .where({ service_id: serviceId })
        .where('day', '>=', fromDay)
        .groupByRaw('1')
        .orderBy('month', 'desc')
        .select(
          db.raw(`to_char(day, 'YYYY-MM') as month`),
          db.raw('sum(download_bytes)::bigint as download_bytes'),
          db.raw('sum(upload_bytes)::bigint as upload_bytes'),
        );
      return rows.map((row) => ({
        month: row.month,
        downloadBytes: row.download_bytes,
        uploadBytes: row.upload_bytes,
      }));
    },

    async usageSince(serviceId, fromDay) {
      const row: { download: bigint | null; upload: bigint | null } | undefined = await db('daily_usage')
        .where({ service_id: serviceId })
        .where('day', '>=', fromDay)
        .first(
          db.raw('sum(download_bytes)::bigint as download'),
          db.raw('sum(upload_bytes)::bigint as upload'),
        );
      return { downloadBytes: row?.download ?? 0n, uploadBytes: row?.upload ?? 0n };
    },

    credits: (serviceId, limit) => readLedgerEntries(db, serviceId, { exceptKind: 'usage', limit }),

    async lastGrantAt(serviceId) {
      const row: { at: Date } | undefined = await db('traffic_ledger')
        .where({ service_id: serviceId, kind: 'cycle_grant' })
        .orderBy('id', 'desc')
        .first('at');
      return row?.at;
    },

    async meteredSessions(serviceId, routerId) {
      const rows: {
        service: string | null;
        caller_id: string | null;
        address: string | null;
        uptime_seconds: bigint | null;
        seen_at: Date;
      }[] = await db('live_sessions')
        .where({ service_id: serviceId, router_id: routerId })
        .orderBy('seen_at', 'desc')
        .select('service', 'caller_id', 'address', 'uptime_seconds', 'seen_at');
      return rows.map((row) => ({
        protocol: row.service,
        callerId: row.caller_id,
        address: row.address,
        uptimeSeconds: row.uptime_seconds === null ? null : Number(row.uptime_seconds),
        seenAt: row.seen_at,
      }));
    },

    async routerMetering(routerId) {
      const query = db('routers as r')
        .leftJoin('router_metering as m', 'm.router_id', 'r.id')
        .whereNull('r.retired_at')
        .orderBy('r.id')
        .select(
          'r.id',
          'r.name',
          'r.enabled',
          'r.created_at',
          'm.last_attempt_at',
          'm.last_success_at',
          'm.last_error',
          'm.consecutive_failures',
          'm.services_metered',
          'm.bytes_metered',
        );
      if (routerId !== undefined) query.where('r.id', routerId);
      const rows: {
        id: bigint;
        name: string;
        enabled: boolean;
        created_at: Date;
        last_attempt_at: Date | null;
        last_success_at: Date | null;
        last_error: string | null;
        consecutive_failures: number | null;
        services_metered: number | null;
        bytes_metered: bigint | null;
      }[] = await query;
      return rows.map((row) => ({
        routerId: Number(row.id),
        name: row.name,
        enabled: row.enabled,
        createdAt: row.created_at,
        lastAttemptAt: row.last_attempt_at,
        lastSuccessAt: row.last_success_at,
        lastError: row.last_error,
        consecutiveFailures: row.consecutive_failures ?? 0,
        servicesMetered: row.services_metered ?? 0,
        bytesMetered: row.bytes_metered ?? 0n,
      }));
    },
  };
}
