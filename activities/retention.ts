import type { UsageRetentionStore } from '../store/usage-store';

export interface RetentionDeps {
  usageRetention: UsageRetentionStore;
  /** Today's date (UTC, YYYY-MM-DD); injected so tests can move the calendar. */
  today(): string;
}

const BATCH_SIZE = 5_000;

export function createRetentionActivities(deps: RetentionDeps) {
  return {
    async deleteExpiredDailyUsage(): Promise<{ deletedRows: number; day: string }> {
      const day = deps.today();
      let deletedRows = 0;
      for (;;) {
        const deleted = await deps.usageRetention.deleteExpiredDailyUsage(day, BATCH_SIZE);
        deletedRows += deleted;
        if (deleted < BATCH_SIZE) return { deletedRows, day };
      }
    },
  };
}
