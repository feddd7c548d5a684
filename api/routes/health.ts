import type { Router } from 'express';
import { z } from 'zod';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

export interface HealthDeps {
  /** Each dependency the API needs, as a check that fails when it is down. */
  checks: { database: () => Promise<unknown>; temporal: () => Promise<unknown> };
  openApi: OpenApiRegistry;
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

/** `GET /healthz`, public: whether the API reaches its database and Temporal, and nothing more. */
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
      const healthy = database === 'up' && temporal === 'up';
      response.status(healthy ? 200 : 503).json({ status: healthy ? 'ok' : 'degraded', database, temporal });
    },
  );
  return routes.router;
}
