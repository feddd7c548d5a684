import { createRetentionActivities, type RetentionDeps } from './retention';

export type ActivityDeps = RetentionDeps;

/** Every activity the worker registers, built from its dependencies (each behind a small interface). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRetentionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
