import { randomUUID } from 'node:crypto';
import { freePort } from '../../scripts/free-port';
import { startTsxProcess, stopProcess } from '../../scripts/processes';
import { startRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { PROCESS_SERVICE_PASSWORD, processApi } from '../helpers/process-api';
import { connectTestStack, TEST_PAYLOAD_CODEC_KEY, type ConnectedTestStack } from '../helpers/stack';
import { meteringWorkflow } from '../../workflows';

/**
 * The API's and the worker's Prometheus endpoints, from the real processes: request counts and
 * latencies by documented route, and the Temporal SDK's metrics with vpnflow's own beside them.
 */
describe('Prometheus metrics', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack?.close());

  const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

  it('counts API requests by route and status; exports the worker’s Temporal metrics and metering’s, enforcement’s and credits’', async () => {
    const [apiPort, apiMetricsPort, workerMetricsPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
    ]);
    const env = {
      DATABASE_URL: process.env.DATABASE_URL!,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
      TEMPORAL_TASK_QUEUE: `metrics-${randomUUID()}`,
      API_PORT: String(apiPort),
      API_METRICS_PORT: String(apiMetricsPort),
      WORKER_METRICS_PORT: String(workerMetricsPort),
      // The test's client starts a metering pass on the processes' task queue.
      PAYLOAD_CODEC_KEY: TEST_PAYLOAD_CODEC_KEY,
      LOG_LEVEL: 'warn',
    };
    const router = await startRouter();
    const api = startTsxProcess('api/main.ts', [], { env, stdio: 'ignore' });
    const worker = startTsxProcess('worker/main.ts', [], { env, stdio: 'ignore' });
    try {
      await eventually(
        async () => expect((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status).toBeLessThan(600),
        {
          timeoutMs: 60_000,
          intervalMs: 500,
        },
      );
      await fetch(`http://127.0.0.1:${apiPort}/v1/admin/routers`, {
        headers: { authorization: 'Bearer wrong' },
      });
      await fetch(`http://127.0.0.1:${apiPort}/v1/admin/services/123/live`, {
        headers: { authorization: 'Bearer dev-admin-token-change-me' },
      });
      const apiMetrics = await scrape(apiMetricsPort);
      expect(apiMetrics).toMatch(
        /vpnflow_api_requests_total\{route="unmatched",method="GET",status="401"\} 1/,
      );
      expect(apiMetrics).toMatch(
        /vpnflow_api_requests_total\{route="\/v1\/admin\/services\/:id\/live",method="GET",status="404"\} 1/,
      );
      expect(apiMetrics).toMatch(
        /vpnflow_api_request_duration_seconds_bucket\{le="0\.005",route="\/healthz"/,
      );
      expect(apiMetrics).toMatch(/vpnflow_api_process_resident_memory_bytes \d+/);
      expect(apiMetrics).toMatch(/vpnflow_services\{status="terminated"\} \d+/);

      // A service created through the processes' own API: its first grant is a credit the worker counts.
      const callApi = processApi(`http://127.0.0.1:${apiPort}`);
      const routerId = await callApi.registerRouter(router, '10.110.0.0/30');
      const serviceId = uniqueId();
      const username = `metrics${serviceId}`;
      expect(await callApi.createService(serviceId, routerId, username, 0.001)).toBe(200);
      // Its megabyte is spent within the minute; a pass reads it, and the workflow limits the account.
      router.connectSession(username, PROCESS_SERVICE_PASSWORD, { service: 'l2tp' });
      router.setTrafficRate(username, { uploadBytesPerSecond: 10_000, downloadBytesPerSecond: 100_000 });
      router.advance(60_000);
      const pass = await stack.client.workflow.execute(meteringWorkflow, {
        taskQueue: env.TEMPORAL_TASK_QUEUE,
        workflowId: `metrics-pass-${randomUUID()}`,
        args: [{ routerIds: [routerId] }],
      });
      expect(pass).toMatchObject({ metered: 1, services: 1, signalled: 1 });
      await eventually(() => expect(router.secrets()[0]).toMatchObject({ disabled: 'true' }), {
        timeoutMs: 30_000,
      });

      const workerMetrics = await eventually(
        async () => {
          const text = await scrape(workerMetricsPort);
          expect(text).toMatch(/temporal_worker_task_slots_available\{/);
          expect(text).toMatch(
            /vpnflow_credits_total\{[^}]*kind="cycle_grant"[^}]*outcome="applied"[^}]*\} 1/,
          );
          expect(text).toMatch(/vpnflow_enforcement_seconds_count\{[^}]*\} 1/);
          return text;
        },
        { timeoutMs: 60_000, intervalMs: 1_000 },
      );
      const ofRouter = `routerId="${routerId}"`;
      expect(workerMetrics).toMatch(
        new RegExp(`vpnflow_metering_accounts_total\\{[^}]*${ofRouter}[^}]*\\} 1`),
      );
      expect(workerMetrics).toMatch(
        new RegExp(`vpnflow_billed_bytes_total\\{[^}]*readBy="pass"[^}]*${ofRouter}[^}]*\\} ${pass.bytes}`),
      );
      expect(workerMetrics).toMatch(
        new RegExp(`vpnflow_metering_router_seconds_count\\{[^}]*${ofRouter}[^}]*\\} 1`),
      );
      expect(workerMetrics).toMatch(/vpnflow_metering_pass_seconds_count\{[^}]*\} 1/);
      expect(workerMetrics).toMatch(/vpnflow_enforcement_seconds_bucket\{[^}]*le="900"[^}]*\} 1/);
      expect(workerMetrics).toMatch(/task_queue="metrics-/);
    } finally {
      await Promise.all([stopProcess(api), stopProcess(worker), router.stop()]);
    }
  }, 120_000);
});
