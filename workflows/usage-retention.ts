import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { deleteExpiredDailyUsage } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

/** Deletes daily usage older than each product's history setting; run daily by a Schedule. */
export async function usageRetentionWorkflow(): Promise<{ deletedRows: number; day: string }> {
  return await deleteExpiredDailyUsage();
}
