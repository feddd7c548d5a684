import { adminRouterSchemas as schemas } from '../../api/routes/admin-routers';
import type { SimulatedRouter } from '../../simulator';
import { uniqueId } from '../helpers/fixtures';
import { freePort } from '../../scripts/free-port';
import { simulatedRouters } from '../routeros/router-fixture';
import { type AdminApp, startAdminApp } from './admin-app';

describe('POST /v1/admin/routers/:id/test against the RouterOS simulator', () => {
  const startRouter = simulatedRouters();
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp();
  });
  afterAll(() => app.close());

  async function addRouter(settings: Record<string, unknown>): Promise<number> {
    const id = uniqueId();
    const created = await app.call('POST', '/v1/admin/routers', {
      name: `sim-${id}`,
      apiHost: '127.0.0.1',
      apiUser: 'admin',
      apiPassword: 'admin',
      publicHostname: `sim-${id}.example.net`,
      ...settings,
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  const plain = (router: SimulatedRouter) => ({ tls: false, apiPort: router.apiPort });

  async function test(id: number) {
    const answer = await app.call('POST', `/v1/admin/routers/${id}/test`);
    expect(answer.status).toBe(200);
    return schemas.connectionTest.parse(answer.body);
  }

  it('answers identity, version and uptime over the plain API', async () => {
    const router = await startRouter({ identity: 'edge-ams-1', version: '7.18.2' });
    const result = await test(await addRouter(plain(router)));
    expect(result).toMatchObject({ ok: true, identity: 'edge-ams-1', version: '7.18.2', channel: 'stable' });
    expect(result.ok && result.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('answers over api-ssl with a pinned certificate, and fails with kind tls for a wrong pin', async () => {
    const router = await startRouter({ tls: true, identity: 'edge-tls' });
    const pinned = await addRouter({ apiPort: router.tlsPort, tlsFingerprint: router.tlsFingerprint });
    expect(await test(pinned)).toMatchObject({ ok: true, identity: 'edge-tls' });

    const wrongPin = await addRouter({ apiPort: router.tlsPort, tlsFingerprint: '0'.repeat(64) });
    expect(await test(wrongPin)).toMatchObject({ ok: false, error: { kind: 'tls' } });
  });

  it('reports a wrong password as kind authentication without echoing the password', async () => {
    const router = await startRouter({ apiPassword: 'right-one' });
    const id = await addRouter({ ...plain(router), apiPassword: 'wrong-one-x7' });
    const answer = await app.call('POST', `/v1/admin/routers/${id}/test`);
    expect(answer.body).toMatchObject({ ok: false, error: { kind: 'authentication' } });
    expect(answer.text).not.toContain('wrong-one-x7');
  });

  it('reports a refused connection as kind unreachable', async () => {
    const id = await addRouter({ tls: false, apiPort: await freePort() });
    expect(await test(id)).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
  });

  it('reports RouterOS 6 as kind unsupported', async () => {
    const router = await startRouter({ version: '6.49.10' });
    expect(await test(await addRouter(plain(router)))).toMatchObject({
      ok: false,
      error: { kind: 'unsupported' },
    });
  });

  it('tries for real again right after a failure, with no backoff carried over', async () => {
    const router = await startRouter();
    const id = await addRouter(plain(router));
    router.setFault({ kind: 'offline' });
    expect(await test(id)).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    router.setFault(undefined);
    await router.whenListening();
    expect(await test(id)).toMatchObject({ ok: true });
  });
});
