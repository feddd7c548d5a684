import type { Router } from 'express';
import { z } from 'zod';
import { serviceViewSchema } from '../../domain/service-view';
import { trafficGrantForCycle } from '../../domain/traffic-grants';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import type { LedgerStore } from '../../store/ledger-store';
import type { RoutersStore } from '../../store/routers-store';
import type { ServicesStore } from '../../store/services-store';
import type { StatisticsStore } from '../../store/statistics-store';
import { HttpError } from '../errors';
import type { LiveSessions } from '../live-sessions';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';
import type { ServiceCommands } from '../service-commands';
import { creditAnswer, ledgerCreditSchema, liveStateSchema, meteringHealth } from './statistics';
import { meteringHealthSchema } from './whmcs-routers';

export interface WhmcsOverviewDeps {
  commands: ServiceCommands;
  services: ServicesStore;
  routers: RoutersStore;
  statistics: StatisticsStore;
  ledger: Pick<LedgerStore, 'balance'>;
  liveSessions: LiveSessions;
  openApi: OpenApiRegistry;
  /** Where operators open a workflow in the Temporal UI; absent, no link is given. */
  workflowUrl?: (workflowId: string) => string;
}

/** The service page reads this within WHMCS's 3 s; a worker slower than that leaves the stored view. */
const STATUS_DEADLINE_MS = 2_000;
const RECENT_CREDITS = 10;

const bytes = z.string().describe('Bytes, as a decimal string');
const overview = z.object({
  service: serviceViewSchema.extend({
    clientId: z.number(),
    balanceBytes: bytes,
    product: z.record(z.string(), z.unknown()).describe('The product settings the service runs with'),
    trafficPerCycleBytes: bytes.nullable().describe('Granted each billing cycle; null: unlimited'),
    limitedByTraffic: z.boolean(),
    fromWorkflow: z.boolean().describe('false: the worker did not answer in time and the database did'),
  }),
  router: z.object({
    id: z.number(),
    name: z.string(),
    publicHostname: z.string(),
    metering: meteringHealthSchema,
  }),
  live: liveStateSchema,
  cycleUsage: z.object({
    from: z.string().describe('The day the current cycle’s usage counts from'),
    downloadBytes: bytes,
    uploadBytes: bytes,
  }),
  recentCredits: z.array(ledgerCreditSchema),
  temporal: z.object({ workflowId: z.string(), uiUrl: z.string().nullable() }),
});

/** One call per WHMCS service page: everything the client area and the admin tab show. */
export function whmcsOverviewRoutes(deps: WhmcsOverviewDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['services']);
  routes.route(
    {
      method: 'get',
      path: '/services/:id/overview',
      summary:
        'The service page: the service, its router, who is online, this cycle’s usage and recent credits',
      request: { params: z.strictObject({ id: z.coerce.number().int().positive() }) },
      responses: {
        200: { description: 'The overview', schema: overview },
        404: { description: 'No such service' },
      },
    },
    async ({ params }, response) => {
      const stored = await deps.services.find(params.id);
      if (!stored) throw new HttpError(404, 'service_not_found', 'No such service');
      const [view, router, [metering], live, balance, credits, grantedAt] = await Promise.all([
        deps.commands.status(params.id, STATUS_DEADLINE_MS).catch(() => undefined),
        deps.routers.get(stored.routerId),
        deps.statistics.routerMetering(stored.routerId),
        deps.liveSessions.of({ serviceId: params.id, routerId: stored.routerId, username: stored.username }),
        deps.ledger.balance(params.id),
        deps.statistics.credits(params.id, RECENT_CREDITS),
        deps.statistics.lastGrantAt(params.id),
      ]);
      const cycleFrom = (grantedAt ?? stored.createdAt).toISOString().slice(0, 10);
      const usage = await deps.statistics.usageSince(params.id, cycleFrom);
      const grant = trafficGrantForCycle(stored.product, stored.billingCycle);
      const workflowId = serviceWorkflowId(params.id);
      const service = view ?? {
        serviceId: params.id,
        status: stored.status,
        suspensionReasons: stored.suspensionReasons,
        username: stored.username,
        routerId: stored.routerId,
        address: stored.address,
        billingCycle: stored.billingCycle,
        nextGrantAt: null,
        routerPending: false,
        routerError: null,
      };
      response.json({
        service: {
          ...service,
          clientId: stored.clientId,
          balanceBytes: balance.toString(),
          product: stored.product,
          trafficPerCycleBytes: grant === 'unlimited' ? null : grant.toString(),
          limitedByTraffic: service.suspensionReasons.includes('traffic'),
          fromWorkflow: view !== undefined,
        },
        router: {
          id: stored.routerId,
          name: router?.name ?? `router ${stored.routerId}`,
          publicHostname: router?.publicHostname ?? '',
          metering: meteringHealth(metering),
        },
        live,
        cycleUsage: {
          from: cycleFrom,
          downloadBytes: usage.downloadBytes.toString(),
          uploadBytes: usage.uploadBytes.toString(),
        },
        recentCredits: credits.map(creditAnswer),
        temporal: { workflowId, uiUrl: deps.workflowUrl?.(workflowId) ?? null },
      });
    },
  );
  return routes.router;
}
