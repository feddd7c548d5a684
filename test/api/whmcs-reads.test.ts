import type { SimulatedRouter } from '../../simulator';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';

/** The reads the WHMCS module makes: the service page's overview, TestConnection and ListAccounts. */
describe('WHMCS reads', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;
  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, { cidr: '10.106.0.0/24' }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  const createService = async () => {
    const serviceId = uniqueId();
    const created = await harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 21,
      clientEmail: 'page@example.net',
      routerId,
      username: `page${serviceId}`,
      password: 'page-Passw0rd',
      product: { pppService: 'sstp', trafficGb: { monthly: 50 }, protocols: { sstp: { enabled: true } } },
      billingCycle: 'Monthly',
    });
    expect(created.status).toBe(200);
    return { serviceId, username: `page${serviceId}` };
  };

  it('answers the service page in one call, with who is online now from the router', async () => {
    const { serviceId, username } = await createService();
    await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/traffic`, {
      invoiceId: 7,
      invoiceItemId: 70,
      gb: 5,
    });
    router.connectSession(username, 'page-Passw0rd', { service: 'sstp', callerId: '198.51.100.23' });

    const page = await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}/overview`);
    expect(page.status).toBe(200);
    expect(page.body.service).toMatchObject({
      serviceId,
      clientId: 21,
      status: 'active',
      username,
      address: expect.stringMatching(/^10\.106\.0\.\d+$/),
      balanceBytes: String(55n * 10n ** 9n),
      trafficPerCycleBytes: String(50n * 10n ** 9n),
      limitedByTraffic: false,
      fromWorkflow: true,
      product: expect.objectContaining({ pppService: 'sstp' }),
    });
    expect(page.body.router).toMatchObject({
      id: routerId,
      publicHostname: expect.stringMatching(/example\.net$/),
    });
    expect(page.body.router.metering.status).toBe('never');
    expect(page.body.live).toMatchObject({
      online: true,
      source: 'router',
      sessions: [{ protocol: 'sstp', callerId: '198.51.100.23' }],
    });
    expect(page.body.recentCredits.map((credit: { kind: string }) => credit.kind)).toEqual([
      'addon',
      'cycle_grant',
    ]);
    expect(page.body.cycleUsage).toMatchObject({ downloadBytes: '0', uploadBytes: '0' });
    expect(page.body.temporal).toEqual({
      workflowId: `vpn-service-${serviceId}`,
      uiUrl: `http://127.0.0.1:8233/namespaces/default/workflows/vpn-service-${serviceId}`,
    });
    expect((await harness.whmcs('GET', `/v1/whmcs/services/${uniqueId()}/overview`)).status).toBe(404);
  });

  it('tests the connection to a router on request and lists its accounts', async () => {
    const { serviceId, username } = await createService();
    const plain = await harness.whmcs('GET', `/v1/whmcs/routers/${routerId}`);
    expect(plain.body).not.toHaveProperty('probe');
    const probed = await harness.whmcs('GET', `/v1/whmcs/routers/${routerId}?probe=1`);
    expect(probed.status).toBe(200);
    expect(probed.body.probe).toMatchObject({ ok: true, version: expect.stringMatching(/^7\./) });

    const accounts = await harness.whmcs('GET', `/v1/whmcs/routers/${routerId}/accounts`);
    expect(accounts.body.accounts).toContainEqual(
      expect.objectContaining({ serviceId, username, status: 'active', clientId: 21 }),
    );
    expect((await harness.whmcs('GET', `/v1/whmcs/routers/${uniqueId()}`)).status).toBe(404);
  });

  it('retires a router only once it carries no live services, freeing its name', async () => {
    expect((await harness.admin('DELETE', `/v1/admin/routers/${routerId}`)).status).toBe(409);
    const spare = await harness.admin('POST', '/v1/admin/routers', {
      name: `spare-${uniqueId()}`,
      apiHost: '192.0.2.77',
      apiUser: 'vpnflow',
      apiPassword: 'spare-router-Passw0rd',
      publicHostname: 'spare.example.net',
    });
    await harness.admin('POST', `/v1/admin/routers/${spare.body.id}/addresses`, { cidr: '10.107.0.0/30' });
    const retired = await harness.admin('DELETE', `/v1/admin/routers/${spare.body.id}`);
    expect(retired.status).toBe(204);
    expect((await harness.admin('GET', `/v1/admin/routers/${spare.body.id}`)).status).toBe(404);
    expect((await harness.admin('DELETE', `/v1/admin/routers/${spare.body.id}`)).status).toBe(404);
    const again = await harness.admin('POST', '/v1/admin/routers', {
      name: spare.body.name,
      apiHost: '192.0.2.78',
      apiUser: 'vpnflow',
      apiPassword: 'spare-router-Passw0rd',
      publicHostname: 'spare.example.net',
    });
    expect(again.status).toBe(201);
  });
});
