import { config, cycleClockOf, keyList, trustProxySetting } from '../infra/config';
import { createDatabase } from '../infra/database';
import { createLogger } from '../infra/logger';
import { PayloadEncryptionCodec } from '../infra/payload-codec';
import { SecretBox } from '../infra/secret-box';
import { RouterConnections } from '../routeros';
import { createServicesStore } from '../store/services-store';
import { connectClient } from '../infra/temporal';
import { createApp } from './app';
import { listen } from './http-server';
import { ApiMetrics, serveMetrics } from './metrics';

async function main(): Promise<void> {
  const settings = config();
  const logger = createLogger({ level: settings.LOG_LEVEL, name: 'api' });
  const db = createDatabase(settings.DATABASE_URL, settings.DATABASE_POOL_MAX);
  const payloadCodec = new PayloadEncryptionCodec(keyList(settings.PAYLOAD_CODEC_KEY));
  const temporal = await connectClient(settings.TEMPORAL_ADDRESS, settings.TEMPORAL_NAMESPACE, payloadCodec);
  const routerConnections = new RouterConnections();
  const metrics = new ApiMetrics(createServicesStore(db));
  const app = createApp({
    db,
    temporal,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    adminToken: settings.ADMIN_API_TOKEN,
    whmcsSecret: settings.WHMCS_SHARED_SECRET,
    codecToken: settings.TEMPORAL_CODEC_TOKEN,
    trustProxy: trustProxySetting(settings.TRUST_PROXY),
    secretBox: new SecretBox(keyList(settings.DATA_ENCRYPTION_KEY)),
    payloadCodec,
    temporalUiUrl: settings.TEMPORAL_UI_URL,
    nodeEnv: settings.NODE_ENV,
    cycleClock: cycleClockOf(settings),
    routerConnections,
    metrics,
    meteringLagLimitSeconds: settings.METERING_LAG_LIMIT_SECONDS,
    clientPanelOrigins: settings.CLIENT_PANEL_ORIGINS,
    logger,
  });
  const server = await listen(app, settings.API_PORT, settings.API_HOST);
  const metricsServer = await serveMetrics(
    metrics.registry,
    settings.API_METRICS_PORT,
    settings.METRICS_HOST,
  );
  logger.info(
    {
      url: `http://${settings.API_HOST}:${settings.API_PORT}`,
      metrics: `http://${settings.METRICS_HOST}:${settings.API_METRICS_PORT}/metrics`,
    },
    'api listening',
  );

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'api stopping');
    metricsServer.close();
    server.close(() => {
      void Promise.all([db.destroy(), temporal.connection.close(), routerConnections.close()]).then(() =>
        process.exit(0),
      );
    });
    server.closeAllConnections();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
