import type { Router } from 'express';
import { z } from 'zod';
import type { RoutersStore } from '../../store/routers-store';
import type { ServicesStore } from '../../store/services-store';
import type { StatisticsStore } from '../../store/statistics-store';
import { HttpError } from '../errors';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';
import { connectionTestSchema, probeRouter, type RouterClientFactory } from '../router-probe';
import { meteringHealth } from './statistics';

export interface WhmcsRouterDeps {
  routers: RoutersStore;
  services: ServicesStore;
  statistics: StatisticsStore;
  openRouterClient: RouterClientFactory;
  openApi: OpenApiRegistry;
}

const routerParams = z.strictObject({
  id: z.coerce.number().int().positive().describe('The vpnflow router id'),
});
export const meteringHealthSchema = z.object({
  status: z.enum(['ok', 'failing', 'never']),
  lastAttemptAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  error: z.string().nullable(),
  consecutiveFailures: z.number(),
});
const routerAnswer = z.object({
  id: z.number(),
  name: z.string(),
  publicHostname: z.string(),
  enabled: z.boolean(),
  metering: meteringHealthSchema,
  probe: connectionTestSchema.optional().describe('With ?probe=1: a connection test run now'),
});
const accountsAnswer = z.object({
  accounts: z.array(
    z.object({
      serviceId: z.number(),
      clientId: z.number(),
      username: z.string(),
      status: z.string(),
      address: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

/** What the WHMCS module's TestConnection and ListAccounts read about the router a server record names. */
export function whmcsRouterRoutes(deps: WhmcsRouterDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['routers']);
  const routerNotFound = (id: number) =>
    new HttpError(404, 'router_not_found', `Router ${id} does not exist`);

  routes.route(
    {
      method: 'get',
      path: '/routers/:id',
      summary: 'A router with its metering health; ?probe=1 also tests the connection now',
      request: {
        params: routerParams,
        query: z.strictObject({ probe: z.enum(['0', '1']).default('0') }),
      },
      responses: {
        200: { description: 'The router', schema: routerAnswer },
        404: { description: 'No such router' },
      },
    },
    async ({ params, query }, response) => {
      const router = await deps.routers.get(params.id);
      if (!router) throw routerNotFound(params.id);
      const [[metering], spec] = await Promise.all([
        deps.statistics.routerMetering(router.id),
        query.probe === '1' ? deps.routers.connectionSpec(router.id) : undefined,
      ]);
      response.json({
        id: router.id,
        name: router.name,
        publicHostname: router.publicHostname,
        enabled: router.enabled,
        metering: meteringHealth(metering),
        ...(spec ? { probe: await probeRouter(spec, deps.openRouterClient) } : {}),
      });
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/routers/:id/accounts',
      summary: "The router's services that are not terminated, for WHMCS's server sync",
      request: { params: routerParams },
      responses: {
        200: { description: 'The accounts', schema: accountsAnswer },
        404: { description: 'No such router' },
      },
    },
    async ({ params }, response) => {
      if (!(await deps.routers.get(params.id))) throw routerNotFound(params.id);
      const services = await deps.services.listOnRouter(params.id);
      response.json({
        accounts: services.map((service) => ({
          serviceId: service.serviceId,
          clientId: service.clientId,
          username: service.username,
          status: service.status,
          address: service.address,
          createdAt: service.createdAt.toISOString(),
        })),
      });
    },
  );
  return routes.router;
}
