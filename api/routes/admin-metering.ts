import type { Router } from 'express';
import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { z } from 'zod';
import type { RoutersStore } from '../../store/routers-store';
import { meteringWorkflow } from '../../workflows';
import type { MeteringInput } from '../../workflows/metering';
import { METERING_PASS_WORKFLOW_ID } from '../../workflows/scheduled-metering';
import { HttpError } from '../errors';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

export interface AdminMeteringDeps {
  temporal: Client;
  taskQueue: string;
  routers: Pick<RoutersStore, 'get'>;
  openApi: OpenApiRegistry;
}

const meterNowBody = z
  .strictObject({
    routerId: z.number().int().positive().optional().describe('Meter this router only; default: every one'),
  })
  .optional();

const meteringSummary = z.object({
  workflowId: z.string(),
  runId: z.string(),
  routers: z.number().describe('Routers the pass was to meter'),
  metered: z.number().describe('Routers read and recorded'),
  failed: z.array(z.object({ routerId: z.number(), error: z.string() })),
  services: z.number().describe('Services whose queue was read'),
  bytes: z.string().describe('Bytes of usage the pass recorded, as a decimal string'),
  signalled: z.number().describe('Service workflows told of their balance'),
});

/**
 * Starts a pass under the id every pass shares (workflows/scheduled-metering.ts); while another pass
 * holds it, scheduled or asked for by someone else, waits for that one to end and tries again.
 */
async function startPass(
  deps: AdminMeteringDeps,
  input: MeteringInput,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof meteringWorkflow>> {
  for (;;) {
    try {
      return await deps.temporal.workflow.start(meteringWorkflow, {
        taskQueue: deps.taskQueue,
        workflowId: METERING_PASS_WORKFLOW_ID,
        workflowIdConflictPolicy: 'FAIL',
        args: [input],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      // How the pass before ended is its starter's business; this one only waits its turn.
      await deps.temporal.workflow
        .getHandle(METERING_PASS_WORKFLOW_ID)
        .result()
        .catch(() => undefined);
    }
  }
}

/** Meter now: a pass outside the schedule, which never runs beside a scheduled one. */
export function adminMeteringRoutes(deps: AdminMeteringDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['statistics']);
  routes.route(
    {
      method: 'post',
      path: '/metering',
      summary: 'Meter every router, or one, now, and answer with the pass’s summary',
      description:
        'Passes take turns: while a scheduled pass or another administrator’s runs, this one waits for ' +
        'it to end and then runs. A full pass also starts the close watch of every router that has none.',
      request: { body: meterNowBody },
      responses: {
        200: { description: 'The summary of the pass', schema: meteringSummary },
        404: { description: 'No such router' },
      },
    },
    async ({ body }, response) => {
      const routerId = body?.routerId;
      if (routerId !== undefined && !(await deps.routers.get(routerId))) {
        throw new HttpError(404, 'router_not_found', `Router ${routerId} does not exist`);
      }
      const handle = await startPass(deps, routerId === undefined ? {} : { routerIds: [routerId] });
      const summary = await handle.result();
      response.json({ workflowId: handle.workflowId, runId: handle.firstExecutionRunId, ...summary });
    },
  );
  return routes.router;
}
