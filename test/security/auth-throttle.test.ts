import { once } from 'node:events';
import type { Server } from 'node:http';
import express from 'express';
import { requireBearerToken } from '../../api/auth';
import { errorHandler } from '../../api/errors';
import { createLogger } from '../../infra/logger';
import { AuthThrottle, DEFAULT_AUTH_THROTTLE } from '../../api/auth-throttle';
import { startHarness, TEST_ADMIN_TOKEN, type Harness } from '../helpers/harness';

describe('throttling of failed authentication', () => {
  describe('on the real API', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness();
    });
    afterAll(() => harness?.close());

    it('answers 429 with Retry-After once an address has failed too often, on every audience', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < DEFAULT_AUTH_THROTTLE.maxFailures + 5; attempt += 1) {
        const response = await fetch(`${harness.baseUrl}/v1/admin/routers`, {
          headers: { authorization: `Bearer wrong-token-${attempt}` },
        });
        statuses.push(response.status);
      }
      expect(statuses.slice(0, DEFAULT_AUTH_THROTTLE.maxFailures)).toEqual(
        Array(DEFAULT_AUTH_THROTTLE.maxFailures).fill(401),
      );
      expect(statuses.slice(DEFAULT_AUTH_THROTTLE.maxFailures)).toEqual(Array(5).fill(429));

      const blocked = await fetch(`${harness.baseUrl}/v1/whmcs/services/1`);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await blocked.json()).toEqual({
        error: { code: 'too_many_failed_authentications', message: expect.stringMatching(/retry in \d+ s/) },
      });
      const codec = await fetch(`${harness.baseUrl}/v1/codec/decode`, { method: 'POST' });
      expect(codec.status).toBe(429);
      // Even the right token waits: the block is per address, before credentials are looked at.
      const rightToken = await harness.admin('GET', '/v1/admin/routers');
      expect(rightToken.status).toBe(429);
      expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
    });
  });

  describe('timing', () => {
    let server: Server;
    let baseUrl: string;
    let now = 1_000_000;
    beforeAll(async () => {
      const throttle = new AuthThrottle({
        maxFailures: 3,
        windowMs: 10_000,
        blockMs: 60_000,
        now: () => now,
      });
      const app = express();
      app.use(throttle.guard, requireBearerToken(TEST_ADMIN_TOKEN), (_request, response) => {
        response.json({ ok: true });
      });
      app.use(errorHandler(createLogger({ level: 'silent', name: 'test' })));
      server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => server.close());

    const call = async (token: string) =>
      (await fetch(baseUrl, { headers: { authorization: `Bearer ${token}` } })).status;

    it('forgets failures outside the window, blocks for blockMs, and a success clears the record', async () => {
      expect(await call('wrong')).toBe(401);
      expect(await call('wrong')).toBe(401);
      now += 11_000;
      expect(await call('wrong')).toBe(401);
      expect(await call('wrong')).toBe(401);
      expect(await call(TEST_ADMIN_TOKEN)).toBe(200);
      expect(await call('wrong')).toBe(401);
      expect(await call('wrong')).toBe(401);
      expect(await call('wrong')).toBe(401);
      expect(await call(TEST_ADMIN_TOKEN)).toBe(429);
      now += 59_000;
      expect(await call(TEST_ADMIN_TOKEN)).toBe(429);
      now += 2_000;
      expect(await call(TEST_ADMIN_TOKEN)).toBe(200);
    });
  });
});
