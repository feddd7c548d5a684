import { randomUUID } from 'node:crypto';
import type { Harness } from '../helpers/harness';
import type { SimulatedRouter } from '../../simulator';
import { closeWatchWorkflow, closeWatchWorkflowId } from '../../workflows/close-watch';
import type { MeteringSummary } from '../../workflows/metering';

export const ACCOUNT_PASSWORD = 'meter-Passw0rd';

export const meteredProduct = (trafficGb: number, overrides: Record<string, unknown> = {}) => ({
  pppProfile: 'default',
  pppService: 'l2tp',
  downloadMbps: 10,
  uploadMbps: 2,
  trafficGb: { monthly: trafficGb },
  lowBalanceThresholdGb: 0,
  ...overrides,
});

export interface CreatedService {
  serviceId: number;
  username: string;
  routerId: number;
}

/**
 * Creates services through the WHMCS API, `parallel` at a time, so that real service workflows exist;
 * the result is in the order of `requests`.
 */
export async function createServices(
  harness: Harness,
  requests: ReadonlyArray<{ serviceId: number; routerId: number; product: Record<string, unknown> }>,
  parallel = 50,
): Promise<CreatedService[]> {
  const created: CreatedService[] = new Array<CreatedService>(requests.length);
  let next = 0;
  const lane = async () => {
    while (next < requests.length) {
      const index = next;
      const request = requests[index];
      next += 1;
      const username = `m${request.serviceId}`;
      const answer = await harness.whmcs('POST', '/v1/whmcs/services', {
        serviceId: request.serviceId,
        clientId: 501,
        clientEmail: 'metered@example.net',
        routerId: request.routerId,
        username,
        password: ACCOUNT_PASSWORD,
        product: request.product,
        billingCycle: 'Monthly',
      });
      if (answer.status !== 200) {
        throw new Error(`service ${request.serviceId} not created: ${JSON.stringify(answer.body)}`);
      }
      created[index] = { serviceId: request.serviceId, username, routerId: request.routerId };
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return created;
}

/** One metering pass, started directly (not by the schedule), over the test's own routers only. */
export function runMeteringPass(
  harness: Harness,
  routerIds: number[],
  workflowId = `metering-test-${randomUUID()}`,
): Promise<MeteringSummary> {
  return harness.stack.client.workflow.execute('meteringWorkflow', {
    taskQueue: harness.taskQueue,
    workflowId,
    args: [{ routerIds }],
  });
}

/** Billed bytes per service: the sum of its daily usage rows. */
export async function billedBytes(
  harness: Harness,
  serviceIds: readonly number[],
): Promise<Map<number, { uploadBytes: bigint; downloadBytes: bigint }>> {
  const rows: { service_id: bigint; upload: bigint; download: bigint }[] = await harness.stack
    .db('daily_usage')
    .whereIn('service_id', serviceIds)
    .groupBy('service_id')
    .select(
      'service_id',
      harness.stack.db.raw('sum(upload_bytes)::bigint as upload'),
      harness.stack.db.raw('sum(download_bytes)::bigint as download'),
    );
  const billed = new Map(serviceIds.map((id) => [id, { uploadBytes: 0n, downloadBytes: 0n }]));
  for (const row of rows) {
    billed.set(Number(row.service_id), { uploadBytes: row.upload, downloadBytes: row.download });
  }
  return billed;
}

/**
 * Moves simulated routers' clocks with the wall clock, every `tickMs`, so that what runs in real time
 * (close watching, workflows) meets traffic moving at its real pace. `stop` freezes the clocks again.
 */
export function driveInRealTime(routers: readonly SimulatedRouter[], tickMs = 20): { stop(): void } {
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    for (const router of routers) router.advance(now - last);
    last = now;
  }, tickMs);
  return {
    stop() {
      clearInterval(timer);
      const now = Date.now();
      for (const router of routers) router.advance(now - last);
    },
  };
}

/** Starts the close watch of routers on the harness's worker; `stop` ends them. */
export async function watchClosely(harness: Harness, routerIds: readonly number[]) {
  const handles = await Promise.all(
    routerIds.map((routerId) =>
      harness.stack.client.workflow.start(closeWatchWorkflow, {
        taskQueue: harness.taskQueue,
        workflowId: closeWatchWorkflowId(routerId),
        args: [{ routerId }],
      }),
    ),
  );
  return {
    async stop() {
      await Promise.all(handles.map((handle) => handle.terminate('test done')));
    },
  };
}
