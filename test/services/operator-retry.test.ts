import { startRouter, type SimulatedRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { registerSimulatedRouter } from '../helpers/simulated-router';

/**
 * What an operator fixes — an empty address pool, wrong router credentials — is picked up at once,
 * not at the next attempt an hour later.
 */
describe('a service waiting for its operator', () => {
  let harness: Harness;
  let router: SimulatedRouter;

  beforeAll(async () => {
    harness = await startHarness();
    router = await startRouter();
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  /** A router registered without any address pool, optionally with a wrong password. */
  const registerRouter = (apiPassword = 'admin') =>
    registerSimulatedRouter(harness, router, { cidr: null, apiPassword });
  const create = (serviceId: number, routerId: number) =>
    harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 12,
      clientEmail: 'waiting@example.net',
      routerId,
      username: `wait${serviceId}`,
      password: 'waiting-Passw0rd',
      product: { trafficGb: { monthly: 10 } },
      billingCycle: 'Monthly',
    });
  const status = async (serviceId: number) =>
    (await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`)).body;
  const secretOf = (serviceId: number) =>
    router.secrets().find((secret) => secret.name === `wait${serviceId}`);

  it('provisions a service as soon as addresses are added to the empty pool it waited on', async () => {
    const routerId = await registerRouter();
    const serviceId = uniqueId();
    const created = await create(serviceId, routerId);
    expect(created.status).toBe(202);
    expect((await status(serviceId)).routerError).toMatch(/AddressPool\.exhausted/);

    const added = await harness.admin('POST', `/v1/admin/routers/${routerId}/addresses`, {
      cidr: '10.130.0.0/30',
    });
    expect(added.status).toBe(200);
    await eventually(async () => expect(await status(serviceId)).toMatchObject({ status: 'active' }));
    expect(secretOf(serviceId)).toMatchObject({ 'remote-address': '10.130.0.1', disabled: 'false' });
  }, 60_000);

  it('tries the router again at once when asked, after its credentials were fixed', async () => {
    const routerId = await registerRouter('wrong-password');
    await harness.admin('POST', `/v1/admin/routers/${routerId}/addresses`, { cidr: '10.131.0.0/30' });
    const serviceId = uniqueId();
    expect((await create(serviceId, routerId)).status).toBe(202);
    expect((await status(serviceId)).routerError).toMatch(/auth|login|password|denied/i);

    const fixed = await harness.admin('PATCH', `/v1/admin/routers/${routerId}`, { apiPassword: 'admin' });
    expect(fixed.status).toBe(200);
    const retried = await harness.admin('POST', `/v1/admin/services/${serviceId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      outcome: 'applied',
      service: { status: 'active', routerError: null },
    });
    expect(secretOf(serviceId)).toMatchObject({ disabled: 'false' });
  }, 60_000);
});
