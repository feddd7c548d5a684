import type { Connection } from '@temporalio/client';
import { createSmtpMailer } from '../notices';
import { config, keyList } from '../infra/config';
import { createDatabase } from '../infra/database';
import { createProductionActivities } from './activities';
import { createLogger } from '../infra/logger';
import { PayloadEncryptionCodec } from '../infra/payload-codec';
import { SecretBox } from '../infra/secret-box';
import { connectClient, connectWorker } from '../infra/temporal';
import { RouterConnections } from '../routeros';
import { createRoutersStore } from '../store/routers-store';
import { createWorker } from './create-worker';
import { ensureSchedules } from './schedules';
import { ensureSearchAttributes } from './search-attributes';
import { installRuntimeWithMetrics } from './telemetry';

async function main(): Promise<void> {
  const settings = config();
  const logger = createLogger({ level: settings.LOG_LEVEL, name: 'worker' });
  const metricsAddress = `${settings.METRICS_HOST}:${settings.WORKER_METRICS_PORT}`;
  installRuntimeWithMetrics(metricsAddress);
  const db = createDatabase(settings.DATABASE_URL, settings.DATABASE_POOL_MAX);
  const payloadCodec = new PayloadEncryptionCodec(keyList(settings.PAYLOAD_CODEC_KEY));
  const secretBox = new SecretBox(keyList(settings.DATA_ENCRYPTION_KEY));
  const routerConnections = new RouterConnections();
  const mailer = createSmtpMailer(settings.SMTP_URL);
  const connection = await connectWorker(settings.TEMPORAL_ADDRESS);
  const client = await connectClient(settings.TEMPORAL_ADDRESS, settings.TEMPORAL_NAMESPACE, payloadCodec);
  await ensureSearchAttributes(client.connection as Connection, settings.TEMPORAL_NAMESPACE);
  for (const router of await createRoutersStore(db, secretBox).list()) {
    if (!router.tls) {
      logger.warn(
        { routerId: router.id, name: router.name },
        'router uses the plain RouterOS API: its API password crosses the network in clear; switch it to api-ssl',
      );
    }
  }
  await ensureSchedules(client, settings.TEMPORAL_TASK_QUEUE, logger);
  const worker = await createWorker({
    connection,
    namespace: settings.TEMPORAL_NAMESPACE,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    payloadCodec,
    activities: createProductionActivities({
      db,
      secretBox,
      routerConnections,
      mail: {
        mailer,
        from: settings.MAIL_FROM,
        companyName: settings.COMPANY_NAME,
        clientAreaUrl: settings.WHMCS_CLIENT_AREA_URL,
      },
    }),
  });
  logger.info(
    {
      taskQueue: settings.TEMPORAL_TASK_QUEUE,
      address: settings.TEMPORAL_ADDRESS,
      metrics: `http://${metricsAddress}/metrics`,
    },
    'worker started',
  );
  // Worker.run installs SIGINT/SIGTERM handlers and drains in-flight tasks before resolving.
  await worker.run();
  await Promise.all([client.connection.close(), connection.close(), routerConnections.close(), db.destroy()]);
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
