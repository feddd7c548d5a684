import { createActivities, type Activities } from '../activities';
import { createUsageRetentionStore } from '../store/usage-store';
import type { Database } from './database';

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The production wiring of every activity dependency. */
export function createProductionActivities(db: Database): Activities {
  return createActivities({
    usageRetention: createUsageRetentionStore(db),
    today: utcToday,
  });
}
