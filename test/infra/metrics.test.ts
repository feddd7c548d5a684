import { randomUUID } from 'node:crypto';
import { freePort } from '../../scripts/free-port';
import { startTsxProcess, stopProcess } from '../../scripts/processes';
import { startRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { processApi } from '../helpers/process-api';

/**
 * The API's and the worker's Prometheus endpoints, from the real processes: request counts and
 * latencies by documented route, and the Temporal SDK's metrics with vpnflow's own beside them.
 */
describe('Prometheus metrics', () => {
  const scrape = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

  it('counts API requests by route and status, and exports the worker’s Temporal metrics', async () => {
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
      LOG_LEVEL: 'warn',
    };
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
      const router = await startRouter();
      const api = processApi(`http://127.0.0.1:${apiPort}`);
      const routerId = await api.registerRouter(router, '10.110.0.0/30');
      const serviceId = uniqueId();
      expect(await api.createService(serviceId, routerId, `metrics${serviceId}`)).toBe(200);
      await router.stop();

      const workerMetrics = await eventually(
        async () => {
          const text = await scrape(workerMetricsPort);
          expect(text).toMatch(/temporal_worker_task_slots_available\{/);
          expect(text).toMatch(
            /vpnflow_credits_total\{[^}]*kind="cycle_grant"[^}]*outcome="applied"[^}]*\} 1/,
          );
          return text;
        },
        { timeoutMs: 60_000, intervalMs: 1_000 },
      );
      expect(workerMetrics).toMatch(/task_queue="metrics-/);
    } finally {
      await Promise.all([stopProcess(api), stopProcess(worker)]);
    }
  }, 120_000);
});
