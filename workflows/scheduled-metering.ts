import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { executeChild, sleep } from '@temporalio/workflow';
import { meteringWorkflow, type MeteringInput, type MeteringSummary } from './metering';

/**
 * Every pass, scheduled or asked for (POST /v1/admin/metering), runs under this one workflow id, so
 * two passes never run at once: whoever finds it taken waits for the pass holding it to end.
 */
export const METERING_PASS_WORKFLOW_ID = 'metering-pass';

/** How often a scheduled pass looks again whether the pass before it has ended. */
const TAKEN_RETRY = '5 seconds';

/**
 * What the metering schedule starts every interval: a pass under the shared id, after the one an
 * administrator started, if any, has ended. The schedule skips its next start while this one waits.
 */
export async function scheduledMeteringWorkflow(input: MeteringInput = {}): Promise<MeteringSummary> {
  for (;;) {
    try {
      return await executeChild(meteringWorkflow, { workflowId: METERING_PASS_WORKFLOW_ID, args: [input] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      await sleep(TAKEN_RETRY);
    }
  }
}
