import type { Server } from 'node:http';
import { once } from 'node:events';
import { createApp } from '../../api/app';
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
      expect(await response.json()).toEqual({ status: 'degraded', database: 'down', temporal: 'up' });
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
});
