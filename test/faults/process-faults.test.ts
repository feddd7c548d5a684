import { randomUUID } from 'node:crypto';
import { startRouter, type SimulatedRouter } from '../../simulator';
import { meteringWorkflow } from '../../workflows';
import { METERING_PASS_WORKFLOW_ID } from '../../workflows/scheduled-metering';
import { METERING_SCHEDULE_ID } from '../../worker/schedules';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { expectRecovered, type FaultWorld, type TrackedService } from './fault-checks';
import { createRequest, dialUntilOnline, goOnline, MINUTE, suspendedFor, tracked } from './fault-fixtures';
import { FAULTS_TASK_QUEUE, startProcessStack, type ProcessStack } from './process-stack';

/*
 * The fault matrix, part two: vpnflow's own processes fail. The stack runs as deployed, each part a
 * process of its own (process-stack.ts), on a PostgreSQL cluster and a Temporal dev server of this
 * file's own, which it kills and restarts; the routers and the mail server stay in this process.
 */

jest.setTimeout(240_000);

describe('fault matrix: the worker, Temporal, PostgreSQL and the API fail', () => {
  let stack: ProcessStack;
  const routers: FaultWorld['routers'][number][] = [];
  const world = (): FaultWorld => ({ db: stack.db, client: stack.client, routers });
  /** A full pass through the admin API, as an operator's "meter now". */
  const meterAll = async () => expect((await stack.admin('POST', '/v1/admin/metering', {})).status).toBe(200);

  beforeAll(async () => {
    stack = await startProcessStack();
    // Passes run when a scenario asks for them, not when the clock says.
    await stack.client.schedule.getHandle(METERING_SCHEDULE_ID).pause('fault matrix');
    for (let index = 0; index < 2; index += 1) {
      const router: SimulatedRouter = await startRouter({ seed: 900 + index });
      const created = await stack.admin('POST', '/v1/admin/routers', {
        name: `faults-${index}`,
        apiHost: router.host,
        apiPort: router.apiPort,
        tls: false,
        apiUser: router.apiUser,
        apiPassword: router.apiPassword,
        publicHostname: `faults-${index}.example.net`,
      });
      routers.push({ router, routerId: created.body.id });
      expect(created.status).toBe(201);
      const pool = await stack.admin('POST', `/v1/admin/routers/${created.body.id}/addresses`, {
        cidr: `10.${60 + index}.0.0/24`,
      });
      expect(pool.status).toBe(200);
    }
  }, 300_000);
  afterAll(async () => {
    await stack?.close();
    await Promise.all(routers.map(({ router }) => router.stop()));
  });

  /** A WHMCS call repeated, as the module's retries do, until vpnflow answers with a 2xx. */
  async function untilAnswered(send: () => ReturnType<ProcessStack['whmcs']>, timeoutMs = 120_000) {
    return eventually(
      async () => {
        const answer = await send();
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(300);
        return answer;
      },
      { timeoutMs, intervalMs: 1_000 },
    );
  }

  async function onlineServices(index: number, count: number): Promise<TrackedService[]> {
    const { router, routerId } = routers[index];
    const services = Array.from({ length: count }, () => tracked(uniqueId(), routerId));
    for (const service of services) {
      const answer = await stack.whmcs(
        'POST',
        '/v1/whmcs/services',
        createRequest(service.serviceId, routerId),
      );
      expect(answer.body).toMatchObject({ outcome: 'applied' });
      goOnline(router, service);
    }
    router.advance(MINUTE);
    return services;
  }

  const startPass = () =>
    stack.client.workflow.start(meteringWorkflow, {
      taskQueue: FAULTS_TASK_QUEUE,
      workflowId: METERING_PASS_WORKFLOW_ID,
      args: [{}],
    });

  it('the API killed between a create and its answer; the create sent again is answered once made', async () => {
    const { router, routerId } = routers[0];
    const service = tracked(uniqueId(), routerId);
    const key = `create-${service.serviceId}-${randomUUID()}`;
    const create = () =>
      stack.whmcs('POST', '/v1/whmcs/services', createRequest(service.serviceId, routerId), key);
    // Slow router replies keep the create waiting for the router while the API dies.
    router.setFault({ kind: 'latency', milliseconds: 300 });
    const lost = create().then(
      () => 'answered',
      () => 'lost',
    );
    await eventually(async () =>
      expect(await stack.db('services').where({ id: service.serviceId }).first('id')).toBeDefined(),
    );
    await stack.api.kill();
    expect(await lost).toBe('lost');
    router.setFault(undefined);
    await stack.api.start();
    // The lost request's claim on its key is taken over once it is a minute old; until then the
    // retry is told it is still running.
    const answer = await untilAnswered(create, 90_000);
    expect(answer.body).toMatchObject({ outcome: 'applied', service: { status: 'active' } });
    goOnline(router, service);
    router.advance(MINUTE);
    await expectRecovered(world(), [service], meterAll);
  });

  it('the worker killed mid-provisioning and mid-pass, then started again', async () => {
    const { router, routerId } = routers[0];
    const existing = await onlineServices(0, 3);
    await meterAll();
    router.advance(MINUTE);
    router.setFault({ kind: 'latency', milliseconds: 500 });
    const creating = Array.from({ length: 4 }, () => tracked(uniqueId(), routerId));
    const keys = new Map(
      creating.map((service) => [service.serviceId, `create-${service.serviceId}-${randomUUID()}`]),
    );
    const create = (service: TrackedService) =>
      stack.whmcs(
        'POST',
        '/v1/whmcs/services',
        createRequest(service.serviceId, routerId),
        keys.get(service.serviceId),
      );
    const firstAnswers = Promise.all(creating.map(create));
    const pass = await startPass();
    // Mid-provisioning: the creates' records exist and their accounts are being written; mid-pass:
    // the pass is reading the router.
    await eventually(async () => {
      const rows = await stack.db('services').whereIn(
        'id',
        creating.map((service) => service.serviceId),
      );
      expect(rows).toHaveLength(creating.length);
      expect((await pass.describe()).status.name).toBe('RUNNING');
    });
    await stack.worker.kill();
    router.advance(30_000);
    router.setFault(undefined);
    await stack.worker.start();

    // What the first answers said (queued, or no worker in time), WHMCS sends again until it hears 2xx.
    await firstAnswers;
    for (const service of creating) await untilAnswered(() => create(service));
    expect(await pass.result()).toMatchObject({ failed: [] });
    for (const service of creating) await dialUntilOnline(router, service);
    router.advance(MINUTE);
    await expectRecovered(world(), [...existing, ...creating], meterAll);
  });

  it('the Temporal server killed and started again on its database file', async () => {
    const { router } = routers[1];
    const services = await onlineServices(1, 3);
    expect(
      (await stack.whmcs('POST', `/v1/whmcs/services/${services[0].serviceId}/suspend`, {})).status,
    ).toBe(200);
    services[0].expected = suspendedFor('billing');
    await meterAll();
    router.advance(MINUTE);

    await stack.temporal.kill();
    // While Temporal is gone the command cannot be taken: WHMCS hears so, and sends it again later.
    const suspend = () =>
      stack.whmcs('POST', `/v1/whmcs/services/${services[1].serviceId}/suspend`, { reason: 'admin' });
    expect((await suspend()).status).toBe(503);
    router.advance(MINUTE);
    await stack.temporal.restart();
    await untilAnswered(suspend);
    // The worker and the API rode it out: they reconnect by themselves.
    expect(stack.worker.isAlive()).toBe(true);
    expect(stack.api.isAlive()).toBe(true);
    services[1].expected = suspendedFor('admin');
    router.advance(MINUTE);
    await expectRecovered(world(), services, meterAll);
  });

  it('PostgreSQL stopped for 30 s during a pass and during a traffic purchase', async () => {
    const { router } = routers[1];
    const services = await onlineServices(1, 3);
    await meterAll();
    router.advance(MINUTE);
    const buy = (service: TrackedService, invoiceId: string) => () =>
      stack.whmcs(
        'POST',
        `/v1/whmcs/services/${service.serviceId}/traffic`,
        { invoiceId, gb: '2' },
        invoiceId,
      );

    const pass = await startPass();
    const duringPass = buy(services[0], `INV-PG-${services[0].serviceId}`);
    const firstTry = duringPass().catch(() => undefined);
    await stack.postgres.stop();
    router.advance(MINUTE);
    const duringOutage = buy(services[1], `INV-PG-${services[1].serviceId}`);
    expect((await duringOutage()).status).toBe(503);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    await stack.postgres.start();

    await firstTry;
    for (const [service, send] of [
      [services[0], duringPass],
      [services[1], duringOutage],
    ] as const) {
      expect((await untilAnswered(send)).body).toMatchObject({ outcome: 'applied' });
      service.invoices.push(`INV-PG-${service.serviceId}`);
    }
    await pass.result();
    router.advance(MINUTE);
    await expectRecovered(world(), services, meterAll);
  });
});
