import { ServiceError, type Client } from '@temporalio/client';
import { HttpError } from '../../api/errors';
import { ServiceCommands } from '../../api/service-commands';
import type { ServiceView } from '../../domain/service-view';

const GRPC_DEADLINE_EXCEEDED = 4;

const view = {
  serviceId: 7,
  status: 'active',
  suspensionReasons: [],
  username: 'alice',
  routerId: 1,
  address: '10.0.0.2',
  billingCycle: 'monthly',
  nextGrantAt: null,
  routerPending: false,
  routerError: null,
} as unknown as ServiceView;

/**
 * A Temporal client whose status queries go unanswered until their deadline (as when Temporal drops a
 * query) for the first `dropped` asks, then answer.
 */
function temporalDropping(dropped: number) {
  let deadline = 0;
  const asked: number[] = [];
  const temporal = {
    withDeadline: async <T>(at: number, work: () => Promise<T>) => {
      deadline = at;
      return work();
    },
    workflow: {
      getHandle: () => ({
        query: async () => {
          asked.push(Date.now());
          if (asked.length > dropped) return view;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
          throw new ServiceError('Failed to query Workflow', {
            cause: Object.assign(new Error('deadline exceeded'), { code: GRPC_DEADLINE_EXCEEDED }),
          });
        },
      }),
    },
  } as unknown as Client;
  return { temporal, asked };
}

const commandsWith = (temporal: Client) =>
  new ServiceCommands({ temporal } as unknown as ConstructorParameters<typeof ServiceCommands>[0]);

describe('a status query Temporal leaves unanswered', () => {
  it('is asked again within the deadline, and the second answer is the view', async () => {
    const { temporal, asked } = temporalDropping(1);
    await expect(commandsWith(temporal).status(7, 8_000)).resolves.toEqual(view);
    expect(asked).toHaveLength(2);
    // The first ask gave up well before the whole deadline.
    expect(asked[1] - asked[0]).toBeLessThan(5_000);
  }, 15_000);

  it('answers 503 worker_unavailable when no ask is answered before the deadline', async () => {
    const { temporal, asked } = temporalDropping(Number.MAX_SAFE_INTEGER);
    const started = Date.now();
    const error: unknown = await commandsWith(temporal)
      .status(7, 2_500)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({ status: 503, code: 'worker_unavailable' });
    expect(asked).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(4_000);
  }, 15_000);
});
