import { eventually } from '../helpers/eventually';
import { startServiceWorker, type ServiceWorker } from './service-worker';

/** A router that does not answer: the command is accepted, answered as queued, and applied later. */
describe('the service workflow while its router is unreachable', () => {
  let worker: ServiceWorker;

  beforeAll(async () => {
    worker = await startServiceWorker();
  });
  afterAll(() => worker?.close());

  it('answers a create as queued and applies it when the router returns', async () => {
    // A plain error, as a refused connection is: Temporal retries it, then the workflow backs off.
    const unreachable = new Error('router 3 unreachable: connection refused');
    const { serviceId, username, result } = await worker.world.failing('router', unreachable, () =>
      worker.create(),
    );
    expect(result).toMatchObject({
      outcome: 'queued',
      service: {
        status: 'provisioning',
        routerPending: true,
        routerError: expect.stringMatching(/unreachable/),
      },
    });
    expect(worker.world.ledgerOf(serviceId)).toEqual([]);

    await eventually(
      async () =>
        expect(await worker.status(serviceId)).toMatchObject({
          status: 'active',
          routerPending: false,
          routerError: null,
        }),
      { timeoutMs: 30_000 },
    );
    expect(worker.world.accounts.get(username)).toMatchObject({ disabled: false });
    expect(worker.world.ledgerOf(serviceId, 'cycle_grant')).toHaveLength(1);
  }, 60_000);

  it('leaves histories that replay on the current code', async () => {
    expect(await worker.replayFailures()).toEqual([]);
  });
});
