import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { CycleClock } from '../domain/cycle-clock';
import type { Config } from '../infra/config';
import { pingDatabase, type Database } from '../infra/database';
import type { Logger } from '../infra/logger';
import { createRouterDirectory } from '../infra/router-directory';
import type { SecretBox } from '../infra/secret-box';
import type { RouterConnections } from '../routeros';
import { createAddressPoolStore } from '../store/address-pool-store';
import { createAuditStore } from '../store/audit-store';
import { createIdempotencyStore } from '../store/idempotency-store';
import { createLedgerStore } from '../store/ledger-store';
import { createNonceStore } from '../store/nonce-store';
import { createRoutersStore } from '../store/routers-store';
import { createServicesStore } from '../store/services-store';
import { createStatisticsStore } from '../store/statistics-store';
import { auditMutations } from './audit';
import { requireBearerToken } from './auth';
import { AuthThrottle } from './auth-throttle';
import { authorizeClientService, CLIENT_SECURITY, requireClientToken } from './client-tokens';
import { errorHandler, notFoundHandler } from './errors';
import { idempotency } from './idempotency';
import { jsonBody } from './json-body';
import { LiveSessions } from './live-sessions';
import type { ApiMetrics } from './metrics';
import { ADMIN_SECURITY, createOpenApiRegistry, openApiRoutes, PUBLIC_MOUNT, type Mount } from './openapi';
import { freshRouterClient, type RouterClientFactory } from './router-probe';
import { adminAuditRoutes } from './routes/admin-audit';
import { adminMaintenanceRoutes } from './routes/admin-maintenance';
import { adminMeteringRoutes } from './routes/admin-metering';
import { adminRouterRoutes } from './routes/admin-routers';
import { adminServiceRoutes } from './routes/admin-services';
import { clientTokenRoutes } from './routes/client-tokens';
import { codecRoutes } from './routes/codec';
import { healthRoutes } from './routes/health';
import { panelRoutes } from './routes/panel';
import { serviceRoutes } from './routes/services';
import { meteringStatusRoutes, statisticsRoutes } from './routes/statistics';
import { whmcsOverviewRoutes } from './routes/whmcs-overview';
import { whmcsRouterRoutes } from './routes/whmcs-routers';
import { ServiceCommands } from './service-commands';
import { wakeServicesWaitingForAddresses } from './waiting-services';
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
  /** A router metered longer ago than this makes /healthz answer 503. */
  meteringLagLimitSeconds: number;
  /** Request metrics for Prometheus; absent, requests are not measured. */
  metrics?: ApiMetrics;
  cycleClock: CycleClock;
  logger: Logger;
  openRouterClient?: RouterClientFactory;
  /** Shared connections to the routers, for the checks a request makes on a router at once. */
  routerConnections: RouterConnections;
  /** CLIENT_PANEL_ORIGINS: WHMCS sites whose client area calls /v1/client and loads /panel (CORS). */
  clientPanelOrigins?: readonly string[];
}

/** The three audiences: WHMCS signs, administrators hold the admin token, clients a service's token. */
const WHMCS: Mount = { path: '/v1/whmcs', security: [WHMCS_SECURITY] };
const ADMIN: Mount = { path: '/v1/admin', security: [ADMIN_SECURITY] };
const CLIENT: Mount = { path: '/v1/client', security: [CLIENT_SECURITY] };

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  if (deps.metrics) app.use(deps.metrics.measure);
  const throttle = deps.authThrottle ?? new AuthThrottle();
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
  const services = createServicesStore(deps.db);
  const statistics = createStatisticsStore(deps.db);
  const ledger = createLedgerStore(deps.db);
  const audit = createAuditStore(deps.db);
  const idempotencyKeys = createIdempotencyStore(deps.db);
  const routerClients = createRouterDirectory(routers, deps.routerConnections);
  const openRouterClient = deps.openRouterClient ?? freshRouterClient;
  const liveSessions = new LiveSessions(routerClients, statistics);
  const commands = new ServiceCommands({
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    cycleClock: deps.cycleClock,
    services,
    routers,
    routerClients,
    secretBox: deps.secretBox,
  });
  const statisticsDeps = { statistics, ledger, liveSessions, openApi };
  const workflowUrl = (workflowId: string) =>
    `${deps.temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(deps.temporal.options.namespace)}/workflows/${encodeURIComponent(workflowId)}`;

  // Each audience parses its own bodies after authenticating the caller; the codec's are much larger.
  app.use(
    codecRoutes(
      {
        codec: deps.payloadCodec,
        adminToken: deps.adminToken,
        codecToken: deps.codecToken,
        temporalUiUrl: deps.temporalUiUrl,
        guard: throttle.guard,
        openApi,
      },
      { path: '', security: [ADMIN_SECURITY] },
    ),
  );
  app.use(
    healthRoutes(
      {
        checks: {
          database: () => pingDatabase(deps.db),
          temporal: () => deps.temporal.workflowService.getSystemInfo({}),
        },
        routerMetering: () => statistics.routerMetering(),
        meteringLagLimitSeconds: deps.meteringLagLimitSeconds,
        openApi,
      },
      PUBLIC_MOUNT,
    ),
  );
  app.use(openApiRoutes(openApi));
  app.use(
    WHMCS.path,
    throttle.guard,
    ...requireWhmcsSignature({ secret: deps.whmcsSecret, nonces: createNonceStore(deps.db) }),
    auditMutations(audit, 'whmcs', deps.logger),
    // Ahead of the idempotency store, which would keep the bearer tokens it answers in plain text.
    clientTokenRoutes({ services, openApi, whmcsSecret: deps.whmcsSecret }, WHMCS),
    idempotency(idempotencyKeys, 'whmcs'),
    serviceRoutes({ commands, ledger, openApi }, WHMCS),
    whmcsOverviewRoutes({ ...statisticsDeps, commands, services, routers, workflowUrl }, WHMCS),
    whmcsRouterRoutes({ routers, services, statistics, openRouterClient, openApi }, WHMCS),
  );
  app.use(
    ADMIN.path,
    throttle.guard,
    requireBearerToken(deps.adminToken),
    ...jsonBody(),
    auditMutations(audit, 'admin', deps.logger),
    idempotency(idempotencyKeys, 'admin'),
    adminMaintenanceRoutes({ temporal: deps.temporal, taskQueue: deps.taskQueue, openApi }, ADMIN),
    adminRouterRoutes(
      {
        routers,
        addressPool: createAddressPoolStore(deps.db),
        openRouterClient,
        openApi,
        addressesAdded: wakeServicesWaitingForAddresses(services, deps.temporal, deps.logger),
        production: deps.nodeEnv === 'production',
      },
      ADMIN,
    ),
    serviceRoutes({ commands, ledger, openApi }, ADMIN),
    adminServiceRoutes({ services, ledger, openApi }, ADMIN),
    statisticsRoutes(statisticsDeps, ADMIN),
    meteringStatusRoutes(statisticsDeps, ADMIN),
    adminMeteringRoutes({ temporal: deps.temporal, taskQueue: deps.taskQueue, routers, openApi }, ADMIN),
    adminAuditRoutes({ audit, openApi }, ADMIN),
  );
  app.use(panelRoutes({ allowedOrigins: deps.clientPanelOrigins ?? [] }));
  app.use(
    CLIENT.path,
    throttle.guard,
    requireClientToken(deps.whmcsSecret),
    statisticsRoutes({ ...statisticsDeps, authorize: authorizeClientService }, CLIENT),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
