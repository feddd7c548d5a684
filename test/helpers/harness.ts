import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { createApp, type ApiDeps } from '../../api/app';
import type { AuthThrottle } from '../../api/auth-throttle';
import { listen, type ServerLimits } from '../../api/http-server';
import { signWhmcsRequest } from '../../api/whmcs-signature';
import type { CycleClock } from '../../domain/cycle-clock';
import { createProductionActivities } from '../../worker/activities';
import { createLogger } from '../../infra/logger';
import { createSmtpMailer } from '../../notices';
import { RouterConnections } from '../../routeros';
import { createWorker } from '../../worker/create-worker';
import { testSecretBox } from './fixtures';
import { startSmtpSink } from './smtp-sink';
import { connectTestStack, testPayloadCodec, type ConnectedTestStack } from './stack';
import type { Database } from '../../infra/database';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_WHMCS_SECRET = 'test-whmcs-secret-0123456789';
export const TEST_CODEC_TOKEN = 'test-codec-token-0123456789';

export interface HarnessOptions {
  cycleClock?: CycleClock;
  /** Replace some activities (e.g. to make one fail) while the rest stay real. */
  activities?: (real: Activities, db: Database) => Partial<Activities>;
  serverLimits?: ServerLimits;
  authThrottle?: AuthThrottle;
}

/** The API's dependencies on the shared test stack, with the test keys. */
export function testApiDeps(
  stack: ConnectedTestStack,
  taskQueue: string,
  overrides: Partial<ApiDeps> = {},
): ApiDeps {
  return {
    db: stack.db,
    temporal: stack.client,
    taskQueue,
    adminToken: TEST_ADMIN_TOKEN,
    whmcsSecret: TEST_WHMCS_SECRET,
    codecToken: TEST_CODEC_TOKEN,
    secretBox: testSecretBox,
    payloadCodec: testPayloadCodec,
    temporalUiUrl: 'http://127.0.0.1:8233',
    nodeEnv: 'test',
    cycleClock: {},
    // The test database holds routers metered (or never) at any time in the past: the test of the
    // bound sets its own, every other test sees health without it.
    meteringLagLimitSeconds: Number.MAX_SAFE_INTEGER,
    routerConnections: new RouterConnections(),
    logger: createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'test-api' }),
    ...overrides,
  };
}

/**
 * The production wiring on the shared test stack: a worker with the real activities on a task queue
 * of its own, and the API on a free port, with helpers that call it as WHMCS and as an administrator.
 */
export async function startHarness(options: HarnessOptions = {}) {
  const stack = await connectTestStack();
  const taskQueue = stack.uniqueTaskQueue('harness');
  const routerConnections = new RouterConnections();
  const mailSink = await startSmtpSink();
  const mailer = createSmtpMailer(mailSink.url, { timeoutMs: 5_000 });
  const real = createProductionActivities({
    db: stack.db,
    secretBox: testSecretBox,
    routerConnections,
    mail: {
      mailer,
      from: '"Example Networks" <noreply@example.net>',
      companyName: 'Example Networks',
      clientAreaUrl: 'https://billing.example.net/clientarea.php',
    },
  });
  const activities = { ...real, ...options.activities?.(real, stack.db) };
  const startWorker = () =>
    createWorker({
      connection: stack.nativeConnection,
      namespace: 'default',
      taskQueue,
      activities,
      payloadCodec: testPayloadCodec,
      workflowBundlePath: stack.bundlePath,
    });
  let worker: Worker = await startWorker();
  let workerRun = worker.run();

  const server: Server = await listen(
    createApp(
      testApiDeps(stack, taskQueue, {
        cycleClock: options.cycleClock ?? {},
        routerConnections,
        ...(options.authThrottle ? { authThrottle: options.authThrottle } : {}),
      }),
    ),
    0,
    '127.0.0.1',
    options.serverLimits,
  );
  const baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const call = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };

  return {
    stack,
    taskQueue,
    baseUrl,
    routerConnections,
    /** The real SMTP server the worker's notices go to, with every message it received, parsed. */
    mailSink,
    admin: (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      call(method, path, body, { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, ...headers }),
    whmcs: (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const raw = body === undefined ? '' : JSON.stringify(body);
      const nonce = randomUUID();
      const signature = signWhmcsRequest(TEST_WHMCS_SECRET, { timestamp, nonce, method, path, body: raw });
      return call(method, path, body, {
        'x-vpnflow-timestamp': String(timestamp),
        'x-vpnflow-nonce': nonce,
        'x-vpnflow-signature': signature,
        ...headers,
      });
    },
    /** Stops the worker the way a crash would not: for tests that need a worker to go away and come back. */
    async stopWorker() {
      worker.shutdown();
      await workerRun;
    },
    async restartWorker() {
      worker = await startWorker();
      workerRun = worker.run();
    },
    async close() {
      server.close();
      server.closeAllConnections();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await routerConnections.close();
      await mailSink.close();
      await stack.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
