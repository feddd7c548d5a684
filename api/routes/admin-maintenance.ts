import { Router } from 'express';
import { manualUsageRetentionWorkflowId } from '../../domain/workflow-ids';
import type { ApiDeps } from '../app';

/** Operations an administrator may trigger by hand, outside their schedules. */
export function adminMaintenanceRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.post('/maintenance/usage-retention', async (_request, response) => {
    const handle = await deps.temporal.workflow.start('usageRetentionWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: manualUsageRetentionWorkflowId(new Date()),
      args: [],
    });
    const result = await handle.result();
    response.json({ workflowId: handle.workflowId, ...result });
  });
  return router;
}
