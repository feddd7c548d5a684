import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** How long one watch activity runs before the workflow starts the next (and may continue as new). */
const WATCH_RUN_MS = 10 * 60_000;

/**
 * The watch runs for minutes and heartbeats all along: a worker that dies is noticed within the
 * heartbeat timeout and the watch starts again on another. It is retried without end, as the
 * workflow has nothing else to do.
 */
const closeWatch = proxyActivities<Activities>({
  startToCloseTimeout: WATCH_RUN_MS + 60_000,
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface CloseWatchInput {
  routerId: number;
}

/** One close watch per router; a full metering pass starts it when it is not running. */
export function closeWatchWorkflowId(routerId: number): string {
  return `close-watch-${routerId}`;
}

/**
 * Close watching of one router's near-empty accounts (docs/routeros-quotas.md), for as long as the
 * router is enabled: each activity watches for ten minutes, then the next one takes over.
 */
export async function closeWatchWorkflow(input: CloseWatchInput): Promise<void> {
  for (;;) {
    const { routerActive } = await closeWatch.watchNearEmptyAccounts({
      routerId: input.routerId,
      forMs: WATCH_RUN_MS,
    });
    if (!routerActive) return;
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof closeWatchWorkflow>(input);
  }
}
