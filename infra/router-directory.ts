import { ApplicationFailure } from '@temporalio/common';
import { FAILURE } from '../domain/failures';
import type { RouterDirectory, RouterConnections } from '../routeros';
import { UnusableRouterSettingsError, type RoutersStore } from '../store/routers-store';

/** Routers of the database, reached through one shared connection pool per worker. */
export function createRouterDirectory(routers: RoutersStore, pool: RouterConnections): RouterDirectory {
  return {
    async clientFor(routerId) {
      const spec = await routers.connectionSpec(routerId).catch((error: unknown) => {
        if (!(error instanceof UnusableRouterSettingsError)) throw error;
        throw ApplicationFailure.create({
          type: FAILURE.routerMisconfigured,
          message: error.message,
          nonRetryable: true,
        });
      });
      if (!spec) {
        throw ApplicationFailure.create({
          type: FAILURE.routerNotFound,
          message: `router ${routerId} does not exist`,
          nonRetryable: true,
        });
      }
      return pool.client(String(routerId), spec);
    },
  };
}
