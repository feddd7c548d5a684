import type { Response, Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../infra/database';
import { HttpError } from '../errors';
import { DocumentedRouter, type OpenApiRegistry } from '../openapi';

export interface StatisticsRouteDeps {
  db: Database;
  openApi: OpenApiRegistry;
  /** Today's date (UTC, YYYY-MM-DD); injected so tests can move the calendar. */
  today?: () => string;
  /** Refuses (throws) a caller that may not see the service; absent, every caller may. */
  authorize?: (response: Response, service: { id: number; clientId: number; status: string }) => void;
}

const serviceParams = z.strictObject({ id: z.coerce.number().int().positive() });
const bytes = z.string().describe('Bytes, as a decimal string');
const usageTotals = { downloadBytes: bytes, uploadBytes: bytes, totalBytes: bytes };

const dailyUsage = z.object({
  serviceId: z.number(),
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), ...usageTotals })),
});
const monthlyUsage = z.object({
  serviceId: z.number(),
  months: z.array(z.object({ month: z.string().describe('YYYY-MM'), ...usageTotals })),
});
const trafficHistory = z.object({
  serviceId: z.number(),
  entries: z.array(
    z.object({
      date: z.string(),
      kind: z.string(),
      addedBytes: bytes.describe('Bytes added (negative for an adjustment that took bytes away)'),
      balanceBeforeBytes: bytes,
      balanceAfterBytes: bytes,
      description: z.string(),
      invoice: z.string().nullable(),
    }),
  ),
});
const liveSession = z.object({
  callerId: z.string().nullable(),
  address: z.string().nullable(),
  uptimeSeconds: z.number().nullable(),
  seenAt: z.string(),
});
const liveStatus = z.object({
  serviceId: z.number(),
  online: z.boolean(),
  sessions: z.array(liveSession),
  checkedAt: z.string().nullable().describe("The last successful metering pass of the service's router"),
});
const meteringStatus = z.object({
  routers: z.array(
    z.object({
      routerId: z.number(),
      name: z.string(),
      enabled: z.boolean(),
      status: z.enum(['ok', 'failing', 'never']),
      lastAttemptAt: z.string().nullable(),
      lastSuccessAt: z.string().nullable(),
      error: z.string().nullable(),
      consecutiveFailures: z.number(),
      servicesMetered: z.number(),
      bytesMetered: bytes,
    }),
  ),
});

const notFound = { 404: { description: 'No such service' } };
const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

function totals(row: { download_bytes: bigint; upload_bytes: bigint }) {
  return {
    downloadBytes: row.download_bytes.toString(),
    uploadBytes: row.upload_bytes.toString(),
    totalBytes: (row.download_bytes + row.upload_bytes).toString(),
  };
}

/** `day` minus `count` days, as YYYY-MM-DD. */
function daysBefore(day: string, count: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - count);
  return date.toISOString().slice(0, 10);
}

/** The first day of the month `count` months before `day`'s month. */
function monthsBefore(day: string, count: number): string {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - count);
  return date.toISOString().slice(0, 10);
}

/**
 * A service's usage statistics and live status from what metering stored, never from the router: a
 * page view costs a database read. Mounted for administrators and, with `authorize`, for the client.
 */
export function statisticsRoutes(deps: StatisticsRouteDeps, mountPath: string, security?: string[]): Router {
  const routes = new DocumentedRouter(deps.openApi, mountPath, { tags: ['statistics'], security });
  const { db } = deps;
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  const requireService = async (id: number, response: Response): Promise<{ router_id: bigint }> => {
    const service: { router_id: bigint; whmcs_client_id: bigint; status: string } | undefined = await db(
      'services',
    )
      .where({ id })
      .first('router_id', 'whmcs_client_id', 'status');
    if (!service) throw new HttpError(404, 'service_not_found', 'No such service');
    deps.authorize?.(response, { id, clientId: Number(service.whmcs_client_id), status: service.status });
    return service;
  };

  routes.route(
    {
      method: 'get',
      path: '/services/:id/usage/daily',
      summary: 'Daily usage of the last N days (days without traffic are left out)',
      request: {
        params: serviceParams,
        query: z.strictObject({ days: z.coerce.number().int().min(1).max(3660).default(30) }),
      },
      responses: { 200: { description: 'Daily usage, newest first', schema: dailyUsage }, ...notFound },
    },
    async ({ params, query }, response) => {
      await requireService(params.id, response);
      const to = today();
      const from = daysBefore(to, query.days - 1);
      const rows: { day: string; download_bytes: bigint; upload_bytes: bigint }[] = await db('daily_usage')
        .where({ service_id: params.id })
        .whereBetween('day', [from, to])
        .orderBy('day', 'desc')
        .select('day', 'download_bytes', 'upload_bytes');
      response.json({
        serviceId: params.id,
        from,
        to,
        days: rows.map((row) => ({ day: row.day, ...totals(row) })),
      });
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/services/:id/usage/monthly',
      summary: 'Monthly usage totals of the last N months',
      request: {
        params: serviceParams,
        query: z.strictObject({ months: z.coerce.number().int().min(1).max(120).default(12) }),
      },
      responses: { 200: { description: 'Monthly totals, newest first', schema: monthlyUsage }, ...notFound },
    },
    async ({ params, query }, response) => {
      await requireService(params.id, response);
      const rows: { month: string; download_bytes: bigint; upload_bytes: bigint }[] = await db('daily_usage')
        .where({ service_id: params.id })
        .where('day', '>=', monthsBefore(today(), query.months - 1))
        .groupByRaw('1')
        .orderBy('month', 'desc')
        .select(
          db.raw(`to_char(day, 'YYYY-MM') as month`),
          db.raw('sum(download_bytes)::bigint as download_bytes'),
          db.raw('sum(upload_bytes)::bigint as upload_bytes'),
        );
      response.json({
        serviceId: params.id,
        months: rows.map((row) => ({ month: row.month, ...totals(row) })),
      });
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/services/:id/traffic-history',
      summary: 'Traffic added: cycle grants, paid addons and adjustments, newest first',
      request: {
        params: serviceParams,
        query: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      },
      responses: { 200: { description: 'Ledger credits', schema: trafficHistory }, ...notFound },
    },
    async ({ params, query }, response) => {
      await requireService(params.id, response);
      const rows: {
        at: Date;
        kind: string;
        delta_bytes: bigint;
        balance_before: bigint;
        balance_after: bigint;
        description: string;
        invoice_ref: string | null;
      }[] = await db('traffic_ledger')
        .where({ service_id: params.id })
        .whereNot({ kind: 'usage' })
        .orderBy('id', 'desc')
        .limit(query.limit)
        .select('at', 'kind', 'delta_bytes', 'balance_before', 'balance_after', 'description', 'invoice_ref');
      response.json({
        serviceId: params.id,
        entries: rows.map((row) => ({
          date: row.at.toISOString(),
          kind: row.kind,
          addedBytes: row.delta_bytes.toString(),
          balanceBeforeBytes: row.balance_before.toString(),
          balanceAfterBytes: row.balance_after.toString(),
          description: row.description,
          invoice: row.invoice_ref,
        })),
      });
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/services/:id/live',
      summary: 'Whether the service was online at the last metering pass, with its session',
      request: { params: serviceParams },
      responses: { 200: { description: 'Live status', schema: liveStatus }, ...notFound },
    },
    async ({ params }, response) => {
      const service = await requireService(params.id, response);
      const [sessions, pass] = await Promise.all([
        db('live_sessions')
          .where({ service_id: params.id, router_id: service.router_id })
          .orderBy('seen_at', 'desc')
          .select('caller_id', 'address', 'uptime_seconds', 'seen_at') as Promise<
          { caller_id: string | null; address: string | null; uptime_seconds: bigint | null; seen_at: Date }[]
        >,
        db('router_metering').where({ router_id: service.router_id }).first('last_success_at') as Promise<
          { last_success_at: Date | null } | undefined
        >,
      ]);
      response.json({
        serviceId: params.id,
        online: sessions.length > 0,
        sessions: sessions.map((session) => ({
          callerId: session.caller_id,
          address: session.address,
          uptimeSeconds: session.uptime_seconds === null ? null : Number(session.uptime_seconds),
          seenAt: session.seen_at.toISOString(),
        })),
        checkedAt: iso(pass?.last_success_at ?? null),
      });
    },
  );

  return routes.router;
}

/** Each router's last metering pass, for administrators. */
export function meteringStatusRoutes(
  deps: Pick<StatisticsRouteDeps, 'db' | 'openApi'>,
  mountPath: string,
  security?: string[],
): Router {
  const routes = new DocumentedRouter(deps.openApi, mountPath, { tags: ['statistics'], security });
  const { db } = deps;
  routes.route(
    {
      method: 'get',
      path: '/metering',
      summary: "Each router's last metering pass: ok, failing (with the error) or never metered",
      responses: { 200: { description: 'Metering status per router', schema: meteringStatus } },
    },
    async (_input, response) => {
      const rows: {
        id: bigint;
        name: string;
        enabled: boolean;
        last_attempt_at: Date | null;
        last_success_at: Date | null;
        last_error: string | null;
        consecutive_failures: number | null;
        services_metered: number | null;
        bytes_metered: bigint | null;
      }[] = await db('routers as r')
        .leftJoin('router_metering as m', 'm.router_id', 'r.id')
        .orderBy('r.id')
        .select(
          'r.id',
          'r.name',
          'r.enabled',
          'm.last_attempt_at',
          'm.last_success_at',
          'm.last_error',
          'm.consecutive_failures',
          'm.services_metered',
          'm.bytes_metered',
        );
      response.json({
        routers: rows.map((row) => ({
          routerId: Number(row.id),
          name: row.name,
          enabled: row.enabled,
          status:
            row.last_attempt_at === null ? 'never' : (row.consecutive_failures ?? 0) > 0 ? 'failing' : 'ok',
          lastAttemptAt: iso(row.last_attempt_at),
          lastSuccessAt: iso(row.last_success_at),
          error: (row.consecutive_failures ?? 0) > 0 ? row.last_error : null,
          consecutiveFailures: row.consecutive_failures ?? 0,
          servicesMetered: row.services_metered ?? 0,
          bytesMetered: (row.bytes_metered ?? 0n).toString(),
        })),
      });
    },
  );

  return routes.router;
}
