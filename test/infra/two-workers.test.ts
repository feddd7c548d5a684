import { randomUUID } from 'node:crypto';
import { freePort } from '../../scripts/free-port';
import { startTsxProcess, stopProcess } from '../../scripts/processes';
import { startRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { processApi } from '../helpers/process-api';
import { ProcessUnderTest } from '../helpers/process-under-test';
import { connectTestStack } from '../helpers/stack';

const SERVICES = 40;

/** What scaling out rests on: two worker processes on one task queue share the work, and do none twice. */
describe('two workers on one task queue', () => {
  it('split the creates between them, and every service is made exactly once', async () => {
    const [apiPort, apiMetricsPort, ...workerMetricsPorts] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const env = {
      DATABASE_URL: process.env.DATABASE_URL!,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
      TEMPORAL_TASK_QUEUE: `two-workers-${randomUUID()}`,
      API_PORT: String(apiPort),
      API_METRICS_PORT: String(apiMetricsPort),
      LOG_LEVEL: 'warn',
    };
    const router = await startRouter();
    const api = startTsxProcess('api/main.ts', [], { env, stdio: 'ignore' });
    const workers = workerMetricsPorts.map(
      // At info the worker says "worker started" once it polls the task queue.
      (port) =>
        new ProcessUnderTest('worker/main.ts', {
          ...env,
          WORKER_METRICS_PORT: String(port),
          LOG_LEVEL: 'info',
        }),
    );
    for (const worker of workers) worker.start();
    const stack = await connectTestStack();
    const base = `http://127.0.0.1:${apiPort}`;
    try {
      await eventually(async () => expect((await fetch(`${base}/healthz`)).status).toBeLessThan(600), {
        timeoutMs: 60_000,
        intervalMs: 500,
      });
      // Creates sent before a worker polls would wait on an empty task queue: both must be polling.
      for (const worker of workers) await worker.waitFor('worker started', 90_000);
      const api = processApi(base);
      const routerId = await api.registerRouter(router, '10.111.0.0/24');
      const serviceIds = Array.from({ length: SERVICES }, () => uniqueId());
      const answers = await Promise.all(
        serviceIds.map((serviceId) => api.createService(serviceId, routerId, `scale${serviceId}`)),
      );
      expect(answers.filter((status) => status !== 200 && status !== 202)).toEqual([]);

      await eventually(
        async () => {
          const active = await stack
            .db('services')
            .whereIn('id', serviceIds)
            .where({ status: 'active' })
            .count<{ count: string }[]>('* as count');
          expect(Number(active[0].count)).toBe(SERVICES);
        },
        { timeoutMs: 60_000 },
      );
      const names = serviceIds.map((id) => `scale${id}`);
      expect(router.secrets().filter((secret) => names.includes(secret.name))).toHaveLength(SERVICES);
      expect(router.queues().filter((queue) => names.includes(queue.name))).toHaveLength(SERVICES);
      const grants = await stack
        .db('traffic_ledger')
        .whereIn('service_id', serviceIds)
        .where({ kind: 'cycle_grant' });
      expect(grants).toHaveLength(SERVICES);

      // Each worker's own count of the grants it wrote: both took a share, and the shares add up.
      const shares = await Promise.all(
        workerMetricsPorts.map(async (port) => {
          const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
          const match =
            /^vpnflow_credits_total\{[^}]*kind="cycle_grant"[^}]*outcome="applied"[^}]*\} (\d+)$/m.exec(text);
          return Number(match?.[1] ?? 0);
        }),
      );
      console.log(`two workers wrote the ${SERVICES} first grants as ${shares.join(' + ')}`);
      expect(shares.every((share) => share > 0)).toBe(true);
      expect(shares.reduce((sum, share) => sum + share, 0)).toBe(SERVICES);
    } finally {
      await Promise.all([stopProcess(api), ...workers.map((worker) => worker.stop())]);
      await router.stop();
      await stack.close();
    }
  }, 180_000);
});
