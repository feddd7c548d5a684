import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { ensureDatabaseExists, migrateLatest } from '../../infra/database';
import { startDevServer } from '../../scripts/temporal-cli';
import { freePort } from '../../scripts/free-port';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-bundle';
import { HISTORY_SUGGEST_CONTINUE_AS_NEW, testDatabaseUrl, type TestStack } from './stack';

/**
 * Starts what every test shares: one Temporal dev server (in memory, on a free port), one fresh
 * PostgreSQL database for the run, and one workflow bundle. Test files find them through env vars,
 * which Jest's workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  const runId = `${process.pid}_${Date.now()}`;
  const databaseUrl = testDatabaseUrl(`vpnflow_test_${runId}`);
  const [server, bundle] = await Promise.all([
    freePort().then((port) =>
      startDevServer({
        port,
        fastSqlite: true,
        // Small enough that long-lived test workflows continue-as-new mid-test, as they will in production.
        dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': HISTORY_SUGGEST_CONTINUE_AS_NEW },
      }),
    ),
    bundleWorkflowCode({
      ...WORKFLOW_BUNDLE_OPTIONS,
      logger: new DefaultLogger('WARN'),
    }),
    ensureDatabaseExists(databaseUrl).then(() => migrateLatest(databaseUrl)),
  ]);
  const bundlePath = path.join(os.tmpdir(), `vpnflow-workflows-${runId}.js`);
  await writeFile(bundlePath, bundle.code);

  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.DATABASE_URL = databaseUrl;
  process.env.WORKFLOW_BUNDLE_PATH = bundlePath;
  process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
  const stack: TestStack = { server, databaseUrl, bundlePath };
  (globalThis as { vpnflowTestStack?: TestStack }).vpnflowTestStack = stack;
}
