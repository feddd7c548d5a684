import type { Database } from '../infra/database';

export interface UsageRetentionStore {
  /**
   * Deletes up to `batchSize` daily-usage rows older than each service's product `historyDays`
   * (0 or missing keeps everything), counted back from `today`. Returns how many rows went.
   */
  deleteExpiredDailyUsage(today: string, batchSize: number): Promise<number>;
}

export function createUsageRetentionStore(db: Database): UsageRetentionStore {
  return {
    async deleteExpiredDailyUsage(today, batchSize) {
      // Batches keep each transaction short on a table that metering writes to every few minutes.
      const result = await db.raw(
        `delete from daily_usage
          where ctid in (
            select d.ctid
              from daily_usage d
              join services s on s.id = d.service_id
             where coalesce((s.product ->> 'historyDays')::int, 0) > 0
               and d.day < ?::date - coalesce((s.product ->> 'historyDays')::int, 0)
             limit ?)`,
        [today, batchSize],
      );
      return result.rowCount ?? 0;
    },
  };
}
