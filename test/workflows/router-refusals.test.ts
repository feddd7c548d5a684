import { FAILURE, routerFailureType } from '../../domain/failures';
import { retryRouterUpdate } from '../../workflows/vpn-service/messages';
import { businessFailure } from './fake-activities';
import { startServiceWorker, type ServiceWorker } from './service-worker';

/**
 * What a person must fix — the router's settings, data the database refuses — is shown in the status
 * and tried again after an hour or when an operator asks, never in a loop. The create answers "queued"
 * after its 10 seconds; a transient failure would have been tried again after 5.
 */
describe('the service workflow when a change is refused', () => {
  let worker: ServiceWorker;

  beforeAll(async () => {
    worker = await startServiceWorker();
  });
  afterAll(() => worker?.close());

  it('waits after a router setup failure until retryRouter, then applies at once', async () => {
    const loginFailed = businessFailure(routerFailureType('authentication'), 'login failed');
    const { serviceId, username, result } = await worker.world.failing('router', loginFailed, () =>
      worker.create(),
    );
    expect(result).toMatchObject({
      outcome: 'queued',
      service: { status: 'provisioning', routerError: 'Router.authentication: login failed' },
    });
    expect(worker.world.routerAttempts.get(username)).toBe(1);

    const retried = await worker.handleOf(serviceId).executeUpdate(retryRouterUpdate);
    expect(retried).toMatchObject({ outcome: 'applied', service: { status: 'active', routerError: null } });
    expect(worker.world.routerAttempts.get(username)).toBe(2);
  }, 30_000);

  it('shows a service record the database refuses as the router error and waits the same way', async () => {
    const refusal = businessFailure(FAILURE.dataRejected, 'invalid byte sequence');
    const { serviceId, username, result } = await worker.world.failing('serviceRecords', refusal, () =>
      worker.create(),
    );
    expect(result).toMatchObject({
      outcome: 'queued',
      service: { status: 'provisioning', routerError: 'DataRejected: invalid byte sequence' },
    });
    expect(worker.world.saveAttempts.get(serviceId)).toBe(1);
    expect(worker.world.routerAttempts.get(username)).toBeUndefined();

    const retried = await worker.handleOf(serviceId).executeUpdate(retryRouterUpdate);
    expect(retried).toMatchObject({ outcome: 'applied', service: { status: 'active', routerError: null } });
  }, 30_000);

  it('leaves histories that replay on the current code', async () => {
    expect(await worker.replayFailures()).toEqual([]);
  });
});
