import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import type { CycleClock } from '../../domain/cycle-clock';
import { parseProductSettings } from '../../domain/product-settings';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { createWorker } from '../../worker/create-worker';
import { vpnServiceWorkflow } from '../../workflows';
import {
  createServiceUpdate,
  statusQuery,
  type CreateServiceCommand,
} from '../../workflows/vpn-service/messages';
import { uniqueId } from '../helpers/fixtures';
import { replayFailures } from '../helpers/histories';
import { connectTestStack, testPayloadCodec } from '../helpers/stack';
import { fakeActivities, FakeWorld } from './fake-activities';

/** 10 GB a month, 1 GB low-balance threshold. */
export const TEST_PRODUCT = parseProductSettings({ trafficGb: { monthly: 10 }, lowBalanceThresholdGb: 1 });
export const GB = 10n ** 9n;

/**
 * The service workflow from the shared bundle on a task queue of its own, with fake activities acting
 * on an in-memory world: the workflow's own behaviour, in seconds.
 */
export async function startServiceWorker() {
  const stack = await connectTestStack();
  const taskQueue = stack.uniqueTaskQueue('service-workflow');
  const world = new FakeWorld();
  const worker = await createWorker({
    connection: stack.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: fakeActivities(world),
    payloadCodec: testPayloadCodec,
    workflowBundlePath: stack.bundlePath,
  });
  const running = worker.run();
  const handleOf = (serviceId: number) => stack.client.workflow.getHandle(serviceWorkflowId(serviceId));
  /** Every service created here, for the replay of their histories. */
  const created: number[] = [];

  /** The create as the API sends it, update-with-start, for a new service unless `serviceId` is given. */
  const create = async (overrides: Partial<CreateServiceCommand> = {}, clock: CycleClock = {}) => {
    const command = createCommand({ serviceId: overrides.serviceId ?? uniqueId(), ...overrides });
    const { serviceId } = command;
    if (!created.includes(serviceId)) created.push(serviceId);
    const result = await stack.client.workflow.executeUpdateWithStart(createServiceUpdate, {
      args: [command],
      startWorkflowOperation: new WithStartWorkflowOperation(vpnServiceWorkflow, {
        workflowId: serviceWorkflowId(serviceId),
        taskQueue,
        args: [{ serviceId, clock }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    return { serviceId, username: result.service.username, result };
  };

  return {
    client: stack.client,
    taskQueue,
    world,
    handleOf,
    create,
    status: (serviceId: number) => handleOf(serviceId).query(statusQuery),
    /** Replays the latest run of every service created here: what did not replay, and why. */
    async replayFailures() {
      return replayFailures(
        await Promise.all(
          created.map(async (serviceId) => ({
            workflowId: serviceWorkflowId(serviceId),
            history: await handleOf(serviceId).fetchHistory(),
          })),
        ),
      );
    },
    async close() {
      worker.shutdown();
      await running;
      await stack.close();
    },
  };
}

export type ServiceWorker = Awaited<ReturnType<typeof startServiceWorker>>;

export function createCommand(overrides: Partial<CreateServiceCommand> & { serviceId: number }) {
  return {
    clientId: 41,
    clientEmail: 'client@example.net',
    clientLanguage: 'english',
    routerId: 3,
    whmcsUsername: null,
    passwordSealed: 'sealed:first',
    product: TEST_PRODUCT,
    billingCycle: 'monthly',
    cycleAnchor: new Date().toISOString(),
    nextDueDate: null,
    ...overrides,
  } satisfies CreateServiceCommand;
}

/** The failure an update was refused or failed with, as the caller sees it. */
export async function updateFailure(
  update: Promise<unknown>,
): Promise<{ type?: string | null; message: string }> {
  const error = await update.then(
    () => {
      throw new Error('the update succeeded');
    },
    (failed: unknown) => failed,
  );
  if (!(error instanceof WorkflowUpdateFailedError)) throw error;
  return error.cause as { type?: string | null; message: string };
}
