import type { SimulatedRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';

/** Router outages and worker crashes: commands are accepted, queued, and applied exactly once later. */
describe('a service when its router or the worker goes away', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;

  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, { cidr: '10.102.0.0/24' }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  const createBody = (serviceId: number) => ({
    serviceId,
    clientId: 9,
    clientEmail: 'outage@example.net',
    routerId,
    username: `out${serviceId}`,
    password: 'outage-Passw0rd',
    product: { trafficGb: { monthly: 10 } },
    billingCycle: 'Monthly',
  });
  const secretOf = (serviceId: number) =>
    router.secrets().find((secret) => secret.name === `out${serviceId}`);
  const status = async (serviceId: number) =>
    (await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`)).body;
  const bringBack = async () => {
    router.setFault(undefined);
    await router.whenListening();
  };

  it('queues a create while the router is offline and applies it when the router returns', async () => {
    const serviceId = uniqueId();
    router.setFault({ kind: 'offline' });
    const started = Date.now();
    const created = await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(created.status).toBe(202);
    expect(created.body.outcome).toBe('queued');
    expect(created.body.service.status).toBe('provisioning');
    const pending = await status(serviceId);
    expect(pending.routerPending).toBe(true);
    expect(pending.routerError).toMatch(/unreachable|refused|timeout/i);

    await bringBack();
    await eventually(async () => expect((await status(serviceId)).status).toBe('active'), {
      timeoutMs: 60_000,
    });
    expect(secretOf(serviceId)).toMatchObject({ disabled: 'false' });
    const grants = await harness.stack.db('traffic_ledger').where({ service_id: serviceId });
    expect(grants).toHaveLength(1);
  }, 90_000);

  it('lets no client dial in before its traffic is counted: a router refusing the queue gets no secret', async () => {
    const serviceId = uniqueId();
    const queueOf = () => router.queues().find((queue) => queue.name === `out${serviceId}`);
    // Interrupted (category 2) is worth retrying: the service keeps trying while the router refuses.
    router.setFault({ kind: 'trap', command: '/queue/simple/add', message: 'interrupted', category: 2 });
    const created = await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId));
    expect(created.status).toBe(202);
    await eventually(async () => expect((await status(serviceId)).routerError).toMatch(/queue/), {
      timeoutMs: 30_000,
    });
    expect(queueOf()).toBeUndefined();
    expect(secretOf(serviceId)).toBeUndefined();

    await bringBack();
    await eventually(async () => expect((await status(serviceId)).status).toBe('active'), {
      timeoutMs: 60_000,
    });
    expect(queueOf()).toBeDefined();
    expect(secretOf(serviceId)).toMatchObject({ disabled: 'false' });
  }, 90_000);

  it('queues a suspend while the router is offline; the newest desired state wins when it returns', async () => {
    const serviceId = uniqueId();
    expect((await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId))).status).toBe(200);
    router.connectSession(`out${serviceId}`, 'outage-Passw0rd', {});

    router.setFault({ kind: 'offline' });
    const suspended = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/suspend`, {
      reason: 'admin',
    });
    expect(suspended.status).toBe(202);
    expect(suspended.body.service).toMatchObject({ status: 'suspended', routerPending: true });
    const changed = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/password`, {
      password: 'after-outage-Passw0rd',
    });
    expect(changed.status).toBe(202);

    await bringBack();
    await eventually(async () => expect((await status(serviceId)).routerPending).toBe(false), {
      timeoutMs: 60_000,
    });
    expect(secretOf(serviceId)).toMatchObject({ disabled: 'true', password: 'after-outage-Passw0rd' });
    expect(router.activeSessions().map((session) => session.name)).not.toContain(`out${serviceId}`);
  }, 90_000);

  it('finishes provisioning with a new worker after the first one stopped mid-way, without duplicates', async () => {
    const serviceId = uniqueId();
    // Slow replies keep the provisioning activity on the router while the worker goes away.
    router.setFault({ kind: 'latency', milliseconds: 1_500 });
    const creating = harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId));
    await eventually(() => expect(secretOf(serviceId)).toBeDefined(), { timeoutMs: 30_000 });
    await harness.stopWorker();
    router.setFault(undefined);
    const answer = await creating;
    expect([200, 202, 503]).toContain(answer.status);
    await harness.restartWorker();

    await eventually(async () => expect((await status(serviceId)).status).toBe('active'), {
      timeoutMs: 60_000,
    });
    expect(router.secrets().filter((secret) => secret.name === `out${serviceId}`)).toHaveLength(1);
    expect(router.queues().filter((queue) => queue.name === `out${serviceId}`)).toHaveLength(1);
    expect(
      await harness.stack.db('services').where({ id: serviceId }).whereNotNull('address_id'),
    ).toHaveLength(1);
    expect(await harness.stack.db('traffic_ledger').where({ service_id: serviceId })).toHaveLength(1);
  }, 120_000);
});
