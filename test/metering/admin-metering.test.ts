import { randomUUID } from 'node:crypto';
import type { SimulatedRouter } from '../../simulator';
import { scheduledMeteringWorkflow } from '../../workflows';
import { closeWatchWorkflowId } from '../../workflows/close-watch';
import { METERING_PASS_WORKFLOW_ID } from '../../workflows/scheduled-metering';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import { ACCOUNT_PASSWORD, billedBytes, createServices, meteredProduct } from './metering-fixtures';

/*
 * Every pass of this file runs under the one shared id, and so does any other pass of the namespace
 * that goes through the schedule or the admin API: no other test file does.
 */
describe('POST /v1/admin/metering', () => {
  let harness: Harness;
  const routers: SimulatedRouter[] = [];
  /** What a full pass meters here: the shared database holds other test files' routers too. */
  let fullPassRouters: number[] = [];

  beforeAll(async () => {
    harness = await startHarness({
      activities: () => ({ listMeteredRouters: async () => fullPassRouters }),
    });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all(routers.map((router) => router.stop()));
  });

  async function routerWithTraffic() {
    const added = await addSimulatedRouter(harness, { seed: routers.length + 50 });
    routers.push(added.router);
    const [service] = await createServices(harness, [
      { serviceId: uniqueId(), routerId: added.routerId, product: meteredProduct(100) },
    ]);
    added.router.connectSession(service.username, ACCOUNT_PASSWORD, { service: 'l2tp' });
    added.router.advance(10_000);
    return { ...added, service };
  }

  /** When a run of the shared pass id started and closed. */
  async function runTimes(runId: string) {
    const described = await harness.stack.client.workflow
      .getHandle(METERING_PASS_WORKFLOW_ID, runId)
      .describe();
    return { start: described.startTime.getTime(), close: described.closeTime!.getTime() };
  }

  /** Runs a scheduled pass as the schedule does, and returns the run of the pass it started. */
  async function scheduledPass(routerIds: number[]) {
    const handle = await harness.stack.client.workflow.start(scheduledMeteringWorkflow, {
      taskQueue: harness.taskQueue,
      workflowId: `metering-tick-${randomUUID()}`,
      args: [{ routerIds }],
    });
    const summary = await handle.result();
    const { events } = await handle.fetchHistory();
    const started = events!.find((event) => event.childWorkflowExecutionStartedEventAttributes);
    return {
      summary,
      runId: started!.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.runId!,
    };
  }

  it('meters one router now and answers with the pass’s summary', async () => {
    const { router, routerId, service } = await routerWithTraffic();
    const answer = await harness.admin('POST', '/v1/admin/metering', { routerId });
    expect(answer.status).toBe(200);
    const truth = router.groundTruth(service.username);
    expect(answer.body).toEqual({
      workflowId: METERING_PASS_WORKFLOW_ID,
      runId: expect.any(String),
      routers: 1,
      metered: 1,
      failed: [],
      services: 1,
      bytes: String(truth.uploadBytes + truth.downloadBytes),
      signalled: 0,
    });
    expect((await billedBytes(harness, [service.serviceId])).get(service.serviceId)).toEqual(truth);
  });

  it('refuses a router that does not exist and a body it cannot read', async () => {
    const unknown = await harness.admin('POST', '/v1/admin/metering', { routerId: 987_654_321 });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('router_not_found');
    for (const body of [{ routerId: 'one' }, { routerId: 0 }, { router: 1 }]) {
      const refused = await harness.admin('POST', '/v1/admin/metering', body);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_request');
    }
  });

  it('never runs beside a scheduled pass: whichever comes second waits for the first to end', async () => {
    const slow = await routerWithTraffic();
    const fast = await routerWithTraffic();
    // Every reply a second late: a pass over this router takes several seconds.
    slow.router.setFault({ kind: 'latency', milliseconds: 1_000 });
    const passRunning = () =>
      eventually(async () => {
        const pass = await harness.stack.client.workflow.getHandle(METERING_PASS_WORKFLOW_ID).describe();
        expect(pass.status.name).toBe('RUNNING');
      });

    const scheduled = scheduledPass([slow.routerId]);
    await passRunning();
    const manual = await harness.admin('POST', '/v1/admin/metering', { routerId: fast.routerId });
    expect(manual.body).toMatchObject({ metered: 1, failed: [] });
    const first = await scheduled;
    expect(first.summary).toMatchObject({ routers: 1, metered: 1, failed: [] });

    const asked = harness.admin('POST', '/v1/admin/metering', { routerId: slow.routerId });
    await passRunning();
    const second = await scheduledPass([fast.routerId]);
    expect(second.summary).toMatchObject({ routers: 1, metered: 1 });
    const askedAnswer = await asked;
    expect(askedAnswer.body).toMatchObject({ metered: 1, failed: [] });
    slow.router.setFault(undefined);

    const [scheduledRun, manualRun, askedRun, secondRun] = await Promise.all(
      [first.runId, manual.body.runId, askedAnswer.body.runId, second.runId].map(runTimes),
    );
    expect(manualRun.start).toBeGreaterThanOrEqual(scheduledRun.close);
    expect(secondRun.start).toBeGreaterThanOrEqual(askedRun.close);
  }, 120_000);

  it('meters every router in a full pass and starts the close watch of each', async () => {
    const { routerId } = await routerWithTraffic();
    fullPassRouters = [routerId];
    const answer = await harness.admin('POST', '/v1/admin/metering');
    expect(answer.body).toMatchObject({ routers: 1, metered: 1, services: 1, failed: [] });
    const watch = harness.stack.client.workflow.getHandle(closeWatchWorkflowId(routerId));
    try {
      expect((await watch.describe()).status.name).toBe('RUNNING');
      // A second full pass finds the watch running and leaves it be.
      const { runId } = await watch.describe();
      const again = await harness.admin('POST', '/v1/admin/metering', {});
      expect(again.body).toMatchObject({ routers: 1, metered: 1 });
      expect(await watch.describe()).toMatchObject({ runId, status: { name: 'RUNNING' } });
    } finally {
      await watch.terminate('test done');
    }
  });
});
