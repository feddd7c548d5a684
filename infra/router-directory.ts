import { ApplicationFailure } from '@temporalio/common';
import type { RouterDirectory } from '../activities/service-activities';
import type { RouterPool } from '../routeros';
import type { RoutersStore } from '../store/routers-store';

/** Routers of the database, reached through one shared connection pool per worker. */
export function createRouterDirectory(routers: RoutersStore, pool: RouterPool): RouterDirectory {
  return {
    async clientFor(routerId) {
      const spec = await routers.connectionSpec(routerId);
      if (!spec) {
        throw ApplicationFailure.create({
          type: 'RouterNotFound',
          message: `router ${routerId} does not exist`,
          nonRetryable: true,
        });
      }
      return pool.client(String(routerId), spec);
    },
  };
}
