import type { Server } from 'node:http';
import { once } from 'node:events';
import express from 'express';
import { createApp } from '../../api/app';
import { createOpenApiRegistry, PUBLIC_MOUNT } from '../../api/openapi';
import { healthRoutes } from '../../api/routes/health';
import { createDatabase } from '../../infra/database';
import { testApiDeps } from '../helpers/harness';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';
import { freePort } from '../../scripts/free-port';

describe('GET /healthz', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  it('answers 503 naming the dependency that is down', async () => {
    const unreachable = createDatabase(`postgres://postgres@127.0.0.1:${await freePort()}/nothing`, 1);
    const app = createApp(testApiDeps(stack, 'unused', { db: unreachable }));
    const server: Server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'degraded',
        database: 'down',
        temporal: 'up',
        metering: { limitSeconds: Number.MAX_SAFE_INTEGER, routers: [] },
      });
      const missing = await fetch(`http://127.0.0.1:${port}/nowhere`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({
        error: { code: 'not_found', message: 'No route for GET /nowhere' },
      });
    } finally {
      server.close();
      await unreachable.destroy();
    }
  });

  it('reports how long ago each enabled router was metered, and answers 503 when one is late', async () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const router = (routerId: number, lastSuccessAt: string | null, enabled = true) => ({
      routerId,
      name: `edge-${routerId}`,
      enabled,
      createdAt: new Date('2026-12-01T10:00:00Z'),
      lastAttemptAt: lastSuccessAt ? new Date(lastSuccessAt) : null,
      lastSuccessAt: lastSuccessAt ? new Date(lastSuccessAt) : null,
      lastError: null,
      consecutiveFailures: 0,
      servicesMetered: 0,
      bytesMetered: 0n,
    });
    let routers = [router(1, '2026-12-01T11:58:00Z'), router(2, '2026-12-01T11:00:00Z', false)];
    const app = express();
    app.use(
      healthRoutes(
        {
          checks: { database: async () => undefined, temporal: async () => undefined },
          routerMetering: async () => routers,
          meteringLagLimitSeconds: 600,
          openApi: createOpenApiRegistry(),
          now: () => now,
        },
        PUBLIC_MOUNT,
      ),
    );
    const server: Server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/healthz`;
      const healthy = await fetch(url);
      expect(healthy.status).toBe(200);
      expect(((await healthy.json()) as { metering: unknown }).metering).toEqual({
        limitSeconds: 600,
        routers: [{ routerId: 1, name: 'edge-1', lagSeconds: 120, late: false }],
      });
      // A router never metered counts from when it was added: two hours.
      routers = [...routers, router(3, null)];
      const late = await fetch(url);
      expect(late.status).toBe(503);
      expect(((await late.json()) as { metering: { routers: unknown[] } }).metering.routers[1]).toEqual({
        routerId: 3,
        name: 'edge-3',
        lagSeconds: 7_200,
        late: true,
      });
    } finally {
      server.close();
    }
  });
});
