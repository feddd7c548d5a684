import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities';
import { encryptedDataConverter } from '../infra/payload-codec';
import { WORKFLOW_BUNDLE_OPTIONS } from './workflow-bundle';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  payloadCodec: PayloadCodec;
  /** A prebuilt bundle (tests share one); without it the worker bundles workflows/ at start-up. */
  workflowBundlePath?: string;
  overrides?: Partial<WorkerOptions>;
}

export function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: encryptedDataConverter(options.payloadCodec),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : {
          workflowsPath: WORKFLOW_BUNDLE_OPTIONS.workflowsPath,
          interceptors: { workflowModules: WORKFLOW_BUNDLE_OPTIONS.workflowInterceptorModules },
        }),
    ...options.overrides,
  });
}
