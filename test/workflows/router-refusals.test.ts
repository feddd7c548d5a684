import { FAILURE, routerFailureType } from '../../domain/failures';
import { retryRouterUpdate } from '../../workflows/vpn-service/messages';
import { businessFailure, type OutsideSystem } from './fake-activities';
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

  /** A create while `system` refuses: answered "queued", with the refusal shown as the router error. */
  const createRefused = async (system: OutsideSystem, type: string, message: string) => {
    const created = await worker.world.failing(system, businessFailure(type, message), () => worker.create());
    expect(created.result).toMatchObject({
      outcome: 'queued',
      service: { status: 'provisioning', routerError: `${type}: ${message}` },
    });
    return created;
  };
  const retryRouter = (serviceId: number) => worker.handleOf(serviceId).executeUpdate(retryRouterUpdate);
  const applied = { outcome: 'applied', service: { status: 'active', routerError: null } };

  it('waits after a router setup failure until retryRouter, then applies at once', async () => {
    const { serviceId, username } = await createRefused(
      'router',
      routerFailureType('authentication'),
      'login failed',
    );
    expect(worker.world.routerAttempts.get(username)).toBe(1);

    expect(await retryRouter(serviceId)).toMatchObject(applied);
    expect(worker.world.routerAttempts.get(username)).toBe(2);
  }, 30_000);

  it('shows a service record the database refuses as the router error and waits the same way', async () => {
    const { serviceId, username } = await createRefused(
      'serviceRecords',
      FAILURE.dataRejected,
      'invalid byte sequence',
    );
    expect(worker.world.saveAttempts.get(serviceId)).toBe(1);
    expect(worker.world.routerAttempts.get(username)).toBeUndefined();

    expect(await retryRouter(serviceId)).toMatchObject(applied);
  }, 30_000);

  it('leaves histories that replay on the current code', async () => {
    expect(await worker.replayFailures()).toEqual([]);
  });
});
