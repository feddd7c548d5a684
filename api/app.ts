import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { CycleClock } from '../domain/cycle-clock';
import type { Config } from '../infra/config';
import type { Database } from '../infra/database';
import type { Logger } from '../infra/logger';
import { createRouterDirectory } from '../infra/router-directory';
import type { RouterPool } from '../routeros';
import type { SecretBox } from '../infra/secret-box';
import { createAddressPoolStore } from '../store/address-pool-store';
import { createAuditStore } from '../store/audit-store';
import { createIdempotencyStore } from '../store/idempotency-store';
import { createLedgerStore } from '../store/ledger-store';
import { createRoutersStore } from '../store/routers-store';
import { createServicesStore } from '../store/services-store';
import { createStatisticsStore } from '../store/statistics-store';
import { auditMutations } from './audit';
import { requireBearerToken } from './auth';
import { AuthThrottle } from './auth-throttle';
import { authorizeClientService, CLIENT_SECURITY, requireClientToken } from './client-tokens';
import { errorHandler, notFoundHandler } from './errors';
import { idempotency } from './idempotency';
import { ADMIN_SECURITY, createOpenApiRegistry, openApiRoutes } from './openapi';
import { adminAuditRoutes } from './routes/admin-audit';
import { adminMaintenanceRoutes } from './routes/admin-maintenance';
import { adminServiceRoutes } from './routes/admin-services';
import { ADMIN_MOUNT_PATH, adminRouterRoutes } from './routes/admin-routers';
import { codecRoutes } from './routes/codec';
import { healthRoutes } from './routes/health';
import { serviceRoutes } from './routes/services';
import { whmcsOverviewRoutes } from './routes/whmcs-overview';
import { whmcsRouterRoutes } from './routes/whmcs-routers';
import { clientTokenRoutes } from './routes/client-tokens';
import { meteringStatusRoutes, statisticsRoutes } from './routes/statistics';
import { wakeServicesWaitingForAddresses } from './waiting-services';
import { jsonBody } from './json-body';
import { freshRouterClient, type RouterClientFactory } from './router-probe';
import { LiveSessions } from './live-sessions';
import { ServiceCommands } from './service-commands';
import { requireWhmcsSignature, WHMCS_SECURITY, WHMCS_SIGNATURE_DESCRIPTION } from './whmcs-signature';

export interface ApiDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  adminToken: string;
  whmcsSecret: string;
  /** TEMPORAL_CODEC_TOKEN: the Temporal UI's credential for the codec endpoint. */
  codecToken: string;
  secretBox: SecretBox;
  payloadCodec: PayloadCodec;
  temporalUiUrl: string;
  nodeEnv: Config['NODE_ENV'];
  /** Express's `trust proxy` (see infra/config.ts TRUST_PROXY). */
  trustProxy?: boolean | number | string;
  authThrottle?: AuthThrottle;
  cycleClock: CycleClock;
  logger: Logger;
  openRouterClient?: RouterClientFactory;
  /** Shared connections to the routers, for the checks a request makes on a router at once. */
  routerPool: RouterPool;
}

/** The client panel's API: read-only, each token limited to its one service. */
const CLIENT_MOUNT_PATH = '/v1/client';

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  const throttle = deps.authThrottle ?? new AuthThrottle();
  // Each audience parses its own bodies after authenticating the caller; the codec's are much larger.
  app.use(
    codecRoutes(
      {
        codec: deps.payloadCodec,
        adminToken: deps.adminToken,
        codecToken: deps.codecToken,
        temporalUiUrl: deps.temporalUiUrl,
      },
      throttle.guard,
    ),
  );
  const openApi = createOpenApiRegistry();
  openApi.securityScheme(WHMCS_SECURITY, {
    type: 'apiKey',
    in: 'header',
    name: 'X-Vpnflow-Signature',
    description: WHMCS_SIGNATURE_DESCRIPTION,
  });
  openApi.securityScheme(CLIENT_SECURITY, {
    type: 'http',
    scheme: 'bearer',
    description: 'A client token from POST /v1/whmcs/services/{id}/client-token, for that service only',
  });
  const routers = createRoutersStore(deps.db, deps.secretBox);
  const audit = createAuditStore(deps.db);
  const idempotencyKeys = createIdempotencyStore(deps.db);
  const servicesStore = createServicesStore(deps.db);
  const openRouterClient = deps.openRouterClient ?? freshRouterClient;
  const routerClients = createRouterDirectory(routers, deps.routerPool);
  const statistics = createStatisticsStore(deps.db);
  const ledger = createLedgerStore(deps.db);
  const statisticsDeps = {
    statistics,
    ledger,
    liveSessions: new LiveSessions(routerClients, statistics),
    openApi,
  };
  const services = {
    commands: new ServiceCommands({
      temporal: deps.temporal,
      taskQueue: deps.taskQueue,
      cycleClock: deps.cycleClock,
      services: servicesStore,
      routers,
      routerClients,
      secretBox: deps.secretBox,
    }),
    ledger,
    openApi,
  };

  app.use(healthRoutes(deps));
  app.use(openApiRoutes(openApi));
  app.use(
    '/v1/whmcs',
    throttle.guard,
    ...requireWhmcsSignature({ secret: deps.whmcsSecret, db: deps.db }),
    auditMutations(audit, 'whmcs', deps.logger),
    // Ahead of the idempotency store, which would keep the bearer tokens it answers in plain text.
    clientTokenRoutes({ db: deps.db, openApi, whmcsSecret: deps.whmcsSecret }, '/v1/whmcs', [WHMCS_SECURITY]),
    idempotency(idempotencyKeys, 'whmcs'),
    serviceRoutes(services, '/v1/whmcs', [WHMCS_SECURITY]),
    whmcsOverviewRoutes(
      {
        ...statisticsDeps,
        commands: services.commands,
        services: servicesStore,
        routers,
        workflowUrl: (workflowId) =>
          `${deps.temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(deps.temporal.options.namespace)}/workflows/${encodeURIComponent(workflowId)}`,
      },
      '/v1/whmcs',
      [WHMCS_SECURITY],
    ),
    whmcsRouterRoutes(
      { routers, services: servicesStore, statistics, openRouterClient, openApi },
      '/v1/whmcs',
      [WHMCS_SECURITY],
    ),
  );
  app.use(
    ADMIN_MOUNT_PATH,
    throttle.guard,
    requireBearerToken(deps.adminToken),
    ...jsonBody(),
    auditMutations(audit, 'admin', deps.logger),
    idempotency(idempotencyKeys, 'admin'),
    adminMaintenanceRoutes(
      { temporal: deps.temporal, taskQueue: deps.taskQueue, openApi },
      ADMIN_MOUNT_PATH,
      [ADMIN_SECURITY],
    ),
    adminRouterRoutes({
      routers,
      addressPool: createAddressPoolStore(deps.db),
      openRouterClient,
      openApi,
      addressesAdded: wakeServicesWaitingForAddresses(deps.db, deps.temporal, deps.logger),
      production: deps.nodeEnv === 'production',
    }),
    serviceRoutes(services, ADMIN_MOUNT_PATH, [ADMIN_SECURITY]),
    adminServiceRoutes({ db: deps.db, openApi }, ADMIN_MOUNT_PATH),
    statisticsRoutes(statisticsDeps, ADMIN_MOUNT_PATH, [ADMIN_SECURITY]),
    meteringStatusRoutes(statisticsDeps, ADMIN_MOUNT_PATH, [ADMIN_SECURITY]),
    adminAuditRoutes({ audit, openApi }, ADMIN_MOUNT_PATH, [ADMIN_SECURITY]),
  );
  app.use(
    CLIENT_MOUNT_PATH,
    throttle.guard,
    requireClientToken(deps.whmcsSecret),
    statisticsRoutes({ ...statisticsDeps, authorize: authorizeClientService }, CLIENT_MOUNT_PATH, [
      CLIENT_SECURITY,
    ]),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
