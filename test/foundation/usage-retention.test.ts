import type { Server } from 'node:http';
import { once } from 'node:events';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { createLogger } from '../../infra/logger';
import { createUsageRetentionStore } from '../../store/usage-store';
import { createWorker } from '../../worker/create-worker';
import { insertRouter, insertService } from '../helpers/fixtures';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The first whole path: HTTP → API → Temporal workflow on the dev server → activity → PostgreSQL. */
describe('usage retention, end to end', () => {
  let stack: ConnectedTestStack;
  let worker: Worker;
  let workerRun: Promise<void>;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await connectTestStack();
    const taskQueue = stack.uniqueTaskQueue('retention');
    worker = await createWorker({
      connection: stack.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundlePath: stack.bundlePath,
      activities: createActivities({
        usageRetention: createUsageRetentionStore(stack.db),
        today: () => '2026-11-25',
      }),
    });
    workerRun = worker.run();
    const logger = createLogger({ level: 'silent', name: 'test' });
    server = createApp({
      db: stack.db,
      temporal: stack.client,
      taskQueue,
      adminToken: ADMIN_TOKEN,
      logger,
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    server.close();
    worker.shutdown();
    await workerRun;
    await stack.close();
  });

  it('deletes only the days older than each product keeps', async () => {
    const { db } = stack;
    const routerId = await insertRouter(db);
    const keepsTen = await insertService(db, routerId, { product: { historyDays: 10 } });
    const keepsAll = await insertService(db, routerId, { product: { historyDays: 0 } });
    const days = ['2026-11-24', '2026-11-15', '2026-11-14', '2026-10-01'];
    for (const serviceId of [keepsTen, keepsAll]) {
      await db('daily_usage').insert(
        days.map((day) => ({ service_id: serviceId, day, download_bytes: 1n, upload_bytes: 1n })),
      );
    }

    const response = await fetch(`${baseUrl}/v1/admin/maintenance/usage-retention`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { workflowId: string; deletedRows: number; day: string };
    expect(body.day).toBe('2026-11-25');
    expect(body.deletedRows).toBeGreaterThanOrEqual(2);

    const remaining = async (serviceId: number) =>
      (await db('daily_usage').where({ service_id: serviceId }).orderBy('day', 'desc')).map((row) => row.day);
    expect(await remaining(keepsTen)).toEqual(['2026-11-24', '2026-11-15']);
    expect(await remaining(keepsAll)).toEqual(days);

    const history = await stack.client.workflow.getHandle(body.workflowId).describe();
    expect(history.status.name).toBe('COMPLETED');
  });

  it('refuses a caller without the admin token, in the one error shape', async () => {
    const response = await fetch(`${baseUrl}/v1/admin/maintenance/usage-retention`, { method: 'POST' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: 'A valid admin bearer token is required' },
    });
  });

  it('reports the database and Temporal as up', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up', temporal: 'up' });
  });
});
