import { withClassifiedFailures } from './failures';
import { createClientNoticeActivities, type ClientNoticeDeps } from './client-notices';
import { createMeteringActivities, type MeteringActivityDeps } from './metering';
import { createRetentionActivities, type RetentionDeps } from './retention';
import { createServiceActivities, type ServiceActivityDeps } from './service-activities';

export type ActivityDeps = RetentionDeps & ServiceActivityDeps & MeteringActivityDeps & ClientNoticeDeps;

/**
 * Every activity the worker registers, built from its dependencies (each behind a small interface),
 * with its failures classified in one place (activities/failures.ts).
 */
export function createActivities(deps: ActivityDeps) {
  return withClassifiedFailures({
    ...createRetentionActivities(deps),
    ...createServiceActivities(deps),
    ...createMeteringActivities(deps),
    ...createClientNoticeActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
