import type { SimulatedRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';

/**
 * PPP secrets and queues on a router that vpnflow did not create — accounts an operator made by hand
 * years ago — are never changed or removed, whichever way a create or a terminate reaches them.
 */
describe('accounts on the router that vpnflow did not create', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;

  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, { cidr: '10.104.0.0/24' }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  const handMade = (name: string) => {
    router.addSecret({
      name,
      password: `${name}-own-Passw0rd`,
      service: 'pptp',
      comment: `customer ${name} since 2019`,
    });
    router.addStaticQueue({ name, target: '10.9.9.9/32', maxLimit: '1M/2M', comment: `${name}'s line` });
    return () => ({
      secret: router.secrets().find((secret) => secret.name === name),
      queue: router.queues().find((queue) => queue.name === name),
    });
  };
  const createBody = (serviceId: number, username: string | null) => ({
    serviceId,
    clientId: 31,
    clientEmail: 'client@example.net',
    routerId,
    username,
    password: 'taker-Passw0rd',
    product: { trafficGb: { monthly: 10 } },
    billingCycle: 'Monthly',
  });

  it('refuses a create that asks for their name before writing anything, naming the router', async () => {
    const itemsOf = handMade('alice');
    const before = itemsOf();
    const serviceId = uniqueId();
    const created = await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId, 'alice'));
    expect(created.status).toBe(409);
    expect(created.body.error).toMatchObject({
      code: 'username_taken_on_router',
      details: { routerId, username: 'alice', routerName: expect.stringMatching(/^sim-/) },
    });
    expect(created.body.error.message).toContain('alice');
    expect(itemsOf()).toEqual(before);
    expect(await harness.stack.db('services').where({ id: serviceId }).first()).toBeUndefined();
  });

  it('refuses the vpn<id> fallback too when WHMCS sent no username and that name is taken', async () => {
    const serviceId = uniqueId();
    const itemsOf = handMade(`vpn${serviceId}`);
    const before = itemsOf();
    const created = await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId, null));
    expect(created.status).toBe(409);
    expect(created.body.error.code).toBe('username_taken_on_router');
    expect(itemsOf()).toEqual(before);
  });

  it('leaves them alone when the name appeared while the router was away, and through a terminate', async () => {
    const serviceId = uniqueId();
    router.setFault({ kind: 'offline' });
    const created = await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId, 'bob'));
    expect(created.status).toBe(202);
    const itemsOf = handMade('bob');
    const before = itemsOf();
    router.setFault(undefined);
    await router.whenListening();
    await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/retry`, {});
    const stuck = await eventually(async () => {
      const view = (await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`)).body;
      expect(view.routerError).toMatch(/^UsernameTakenOnRouter: .*"bob"/);
      return view;
    });
    expect(stuck).toMatchObject({ status: 'provisioning', routerPending: true });
    expect(itemsOf()).toEqual(before);

    const terminated = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/terminate`, {});
    expect(terminated.status).toBe(200);
    expect(terminated.body.service.status).toBe('terminated');
    expect(itemsOf()).toEqual(before);
    expect(before.secret).toMatchObject({ password: 'bob-own-Passw0rd', comment: 'customer bob since 2019' });
    expect(before.queue).toMatchObject({
      target: '10.9.9.9/32',
      'max-limit': '1000000/2000000',
      comment: "bob's line",
    });
  });

  it('gives one username to one of three concurrent creates and answers the others 409 at once', async () => {
    const ids = [uniqueId(), uniqueId(), uniqueId()];
    const username = `shared${ids[0]}`;
    const answers = await Promise.all(
      ids.map((serviceId) => harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId, username))),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409]);
    const losers = ids.filter((_, index) => answers[index].status === 409);
    for (const [index, serviceId] of ids.entries()) {
      if (answers[index].status === 409) expect(answers[index].body.error.code).toBe('username_taken');
      else expect(answers[index].body.service).toMatchObject({ serviceId, username, status: 'active' });
    }
    const rows = await harness.stack.db('services').whereIn('id', losers).select('id');
    expect(rows).toEqual([]);
  });

  it("refuses another service's vpn<id> fallback name", async () => {
    const serviceId = uniqueId();
    const created = await harness.whmcs(
      'POST',
      '/v1/whmcs/services',
      createBody(serviceId, `vpn${serviceId + 1}`),
    );
    expect(created.status).toBe(409);
    expect(created.body.error.code).toBe('username_reserved');
    const own = await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId, `vpn${serviceId}`));
    expect(own.status).toBe(200);
  });
});
