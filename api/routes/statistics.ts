import type { Response, Router } from 'express';
import { z } from 'zod';
import type { LedgerEntry, LedgerStore } from '../../store/ledger-store';
import type {
  RouterMeteringState,
  ServiceAccess,
  StatisticsStore,
  UsageTotals,
} from '../../store/statistics-store';
import { HttpError } from '../errors';
import type { LiveSessions } from '../live-sessions';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

export interface StatisticsRouteDeps {
  statistics: StatisticsStore;
  ledger: Pick<LedgerStore, 'balance'>;
  liveSessions: LiveSessions;
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
  days: z.array(
    z.object({ day: z.string(), ...usageTotals, balanceBytes: bytes.describe('At the end of the day') }),
  ),
});
const monthlyUsage = z.object({
  serviceId: z.number(),
  months: z.array(z.object({ month: z.string().describe('YYYY-MM'), ...usageTotals })),
});
export const ledgerCreditSchema = z.object({
  date: z.string(),
  kind: z.string(),
  addedBytes: bytes.describe('Bytes added (negative for an adjustment that took bytes away)'),
  balanceBeforeBytes: bytes,
  balanceAfterBytes: bytes,
  description: z.string(),
  invoice: z.string().nullable(),
});
const trafficHistory = z.object({ serviceId: z.number(), entries: z.array(ledgerCreditSchema) });
export const liveStateSchema = z.object({
  online: z.boolean(),
  sessions: z.array(
    z.object({
      protocol: z.string().nullable().describe('l2tp, sstp, ovpn, pptp, ...'),
      callerId: z.string().nullable(),
      address: z.string().nullable(),
      uptimeSeconds: z.number().nullable(),
    }),
  ),
  source: z
    .enum(['router', 'metering'])
    .describe('The router just now, or the last metering pass when it did not answer'),
  asOf: z.string().nullable().describe('When the sessions were seen'),
});
const liveStatus = liveStateSchema.extend({
  serviceId: z.number(),
  status: z.string(),
  suspensionReasons: z.array(z.string()),
  limitedByTraffic: z.boolean().describe('Access is limited because the traffic ran out'),
  balanceBytes: bytes,
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

export function totals(usage: UsageTotals) {
  return {
    downloadBytes: usage.downloadBytes.toString(),
    uploadBytes: usage.uploadBytes.toString(),
    totalBytes: (usage.downloadBytes + usage.uploadBytes).toString(),
  };
}

export function creditAnswer(credit: LedgerEntry) {
  return {
    date: credit.at.toISOString(),
    kind: credit.kind,
    addedBytes: credit.deltaBytes.toString(),
    balanceBeforeBytes: credit.balanceBeforeBytes.toString(),
    balanceAfterBytes: credit.balanceAfterBytes.toString(),
    description: credit.description,
    invoice: credit.invoiceRef,
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
 * A service's usage statistics from what metering stored, and its live status from the router (see
 * LiveSessions). Mounted for administrators and, with `authorize`, for the client.
 */
export function statisticsRoutes(deps: StatisticsRouteDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['statistics']);
  const { statistics } = deps;
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));

  const requireService = async (id: number, response: Response): Promise<ServiceAccess> => {
    const service = await statistics.serviceAccess(id);
    if (!service) throw new HttpError(404, 'service_not_found', 'No such service');
    deps.authorize?.(response, { id, clientId: service.clientId, status: service.status });
    return service;
  };

  routes.route(
    {
      method: 'get',
      path: '/services/:id/usage/daily',
      summary:
        'Daily usage of the last N days with the balance at each day’s end (days without traffic left out)',
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
      const days = await statistics.dailyUsage(params.id, from, to);
      response.json({
        serviceId: params.id,
        from,
        to,
        days: days.map((day) => ({
          day: day.day,
          ...totals(day),
          balanceBytes: day.balanceBytes.toString(),
        })),
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
      const months = await statistics.monthlyUsage(params.id, monthsBefore(today(), query.months - 1));
      response.json({
        serviceId: params.id,
        months: months.map((month) => ({ month: month.month, ...totals(month) })),
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
      const credits = await statistics.credits(params.id, query.limit);
      response.json({ serviceId: params.id, entries: credits.map(creditAnswer) });
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/services/:id/live',
      summary: 'Whether the service is online now, with its session, status and balance',
      description:
        'Read from the router on demand (one print serves every page of that router for 5 s); when the ' +
        'router does not answer within 2 s, the last metering pass answers instead, with its time.',
      request: { params: serviceParams },
      responses: { 200: { description: 'Live status', schema: liveStatus }, ...notFound },
    },
    async ({ params }, response) => {
      const service = await requireService(params.id, response);
      const [live, balance] = await Promise.all([
        deps.liveSessions.of({
          serviceId: params.id,
          routerId: service.routerId,
          username: service.username,
        }),
        deps.ledger.balance(params.id),
      ]);
      response.json({
        serviceId: params.id,
        status: service.status,
        suspensionReasons: service.suspensionReasons,
        limitedByTraffic: service.suspensionReasons.includes('traffic'),
        balanceBytes: balance.toString(),
        ...live,
      });
    },
  );

  return routes.router;
}

/**
 * A router's metering health as the APIs show it: ok, failing (with the error) or never metered (also
 * for a router without a metering row, such as a retired one).
 */
export function meteringHealth(state: RouterMeteringState | undefined) {
  const failing = (state?.consecutiveFailures ?? 0) > 0;
  const attempted = state?.lastAttemptAt ?? null;
  return {
    status: attempted === null ? ('never' as const) : failing ? ('failing' as const) : ('ok' as const),
    lastAttemptAt: iso(attempted),
    lastSuccessAt: iso(state?.lastSuccessAt ?? null),
    error: failing ? (state?.lastError ?? null) : null,
    consecutiveFailures: state?.consecutiveFailures ?? 0,
  };
}

/** Each router's last metering pass, for administrators. */
export function meteringStatusRoutes(
  deps: Pick<StatisticsRouteDeps, 'statistics' | 'openApi'>,
  mount: Mount,
): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['statistics']);
  routes.route(
    {
      method: 'get',
      path: '/metering',
      summary: "Each router's last metering pass: ok, failing (with the error) or never metered",
      responses: { 200: { description: 'Metering status per router', schema: meteringStatus } },
    },
    async (_input, response) => {
      const routers = await deps.statistics.routerMetering();
      response.json({
        routers: routers.map((router) => ({
          routerId: router.routerId,
          name: router.name,
          enabled: router.enabled,
          ...meteringHealth(router),
          servicesMetered: router.servicesMetered,
          bytesMetered: router.bytesMetered.toString(),
        })),
      });
    },
  );
  return routes.router;
}
