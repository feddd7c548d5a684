import type { Router } from 'express';
import { z } from 'zod';
import type { RouterMeteringState } from '../../store/statistics-store';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

export interface HealthDeps {
  /** Each dependency the API needs, as a check that fails when it is down. */
  checks: { database: () => Promise<unknown>; temporal: () => Promise<unknown> };
  /** Every router's metering state; an enabled router metered longer ago than the limit is late. */
  routerMetering: () => Promise<RouterMeteringState[]>;
  meteringLagLimitSeconds: number;
  openApi: OpenApiRegistry;
  now?: () => number;
}

const CHECK_TIMEOUT_MS = 2_000;
const componentState = z.enum(['up', 'down']);
const health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: componentState,
  temporal: componentState,
});

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

/** How long ago each enabled router was last metered: a router that never was counts from its creation. */
async function meteringLag(deps: HealthDeps) {
  const now = (deps.now ?? Date.now)();
  return (await deps.routerMetering())
    .filter((router) => router.enabled)
    .map((router) => {
      const lagSeconds = Math.max(
        0,
        Math.round((now - (router.lastSuccessAt ?? router.createdAt).getTime()) / 1000),
      );
      return {
        routerId: router.routerId,
        name: router.name,
        lagSeconds,
        late: lagSeconds > deps.meteringLagLimitSeconds,
      };
    });
}

/**
 * `GET /healthz`, public: whether the API reaches its database and Temporal, and how long ago each
 * router was metered; 503 when either is down or a router is metered late.
 */
export function healthRoutes(deps: HealthDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['operations']);
  routes.route(
    {
      method: 'get',
      path: '/healthz',
      summary: 'Whether the API reaches PostgreSQL and Temporal (503 when either is down)',
      responses: {
        200: { description: 'Everything answers', schema: health },
        503: { description: 'The database or Temporal does not answer', schema: health },
      },
    },
    async (_input, response) => {
      const [database, temporal] = await Promise.all([
        probe(deps.checks.database),
        probe(deps.checks.temporal),
      ]);
      const routers = database === 'up' ? await meteringLag(deps) : [];
      const healthy = database === 'up' && temporal === 'up' && routers.every((router) => !router.late);
      response.status(healthy ? 200 : 503).json({
        status: healthy ? 'ok' : 'degraded',
        database,
        temporal,
        metering: { limitSeconds: deps.meteringLagLimitSeconds, routers },
      });
    },
  );
  return routes.router;
}
