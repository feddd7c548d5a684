import { maintenance } from './activity-options';

/** Deletes daily usage older than each product's history setting; run daily by a Schedule. */
export async function usageRetentionWorkflow(): Promise<{ deletedRows: number; day: string }> {
  return await maintenance.deleteExpiredDailyUsage();
}
