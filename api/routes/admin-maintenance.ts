import type { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { MANUAL_USAGE_RETENTION_WORKFLOW_ID } from '../../domain/workflow-ids';
import { usageRetentionWorkflow } from '../../workflows';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

export interface AdminMaintenanceDeps {
  temporal: Client;
  taskQueue: string;
  openApi: OpenApiRegistry;
}

const retentionResult = z.object({
  workflowId: z.string(),
  deletedRows: z.number(),
  day: z.string().describe('The day (UTC) the history settings were counted back from'),
});

/** Operations an administrator may trigger by hand, outside their schedules. */
export function adminMaintenanceRoutes(deps: AdminMaintenanceDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['maintenance']);
  routes.route(
    {
      method: 'post',
      path: '/maintenance/usage-retention',
      summary:
        'Delete daily usage older than each product allows, now; callers at the same time share one run',
      responses: { 200: { description: 'What the run deleted', schema: retentionResult } },
    },
    async (_input, response) => {
      const handle = await deps.temporal.workflow.start(usageRetentionWorkflow, {
        taskQueue: deps.taskQueue,
        workflowId: MANUAL_USAGE_RETENTION_WORKFLOW_ID,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [],
      });
      const result = await handle.result();
      response.json({ workflowId: handle.workflowId, ...result });
    },
  );
  return routes.router;
}
