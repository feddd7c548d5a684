import { serviceWorkflowId } from '../../domain/workflow-ids';
import type { SimulatedRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { recordHistories } from '../helpers/histories';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import { HISTORY_SUGGEST_CONTINUE_AS_NEW } from '../helpers/stack';

/** A billing month lasts this long here, so a monthly cycle passes in a few seconds. */
const SECONDS_PER_MONTH = 3;

describe('billing cycles and long life', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;

  beforeAll(async () => {
    harness = await startHarness({ cycleClock: { secondsPerMonth: SECONDS_PER_MONTH } });
    ({ router, routerId } = await addSimulatedRouter(harness, { cidr: '10.101.0.0/24' }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  const create = (serviceId: number, trafficGb: Record<string, number>, billingCycle = 'Monthly') =>
    harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 5,
      clientEmail: 'cycles@example.net',
      routerId,
      username: null,
      password: 'cycle-Passw0rd',
      product: { trafficGb },
      billingCycle,
    });
  const grants = async (serviceId: number) =>
    harness.stack.db('traffic_ledger').where({ service_id: serviceId, kind: 'cycle_grant' }).orderBy('id');
  const runIdsOf = async (serviceId: number) => {
    const runIds: string[] = [];
    for await (const run of harness.stack.client.workflow.list({
      query: `WorkflowId = '${serviceWorkflowId(serviceId)}'`,
    })) {
      runIds.push(run.runId);
    }
    return runIds;
  };

  it('grants each cycle once, in order, carrying the balance across continue-as-new', async () => {
    const serviceId = uniqueId();
    expect((await create(serviceId, { monthly: 1 })).status).toBe(200);
    const rows = await eventually(
      async () => {
        const found = await grants(serviceId);
        expect(found.length).toBeGreaterThanOrEqual(4);
        return found;
      },
      { timeoutMs: 30_000 },
    );
    const keys = rows.map((row) => row.idempotency_key as string);
    expect(new Set(keys).size).toBe(keys.length);
    const starts = keys.map((key) => Date.parse(key.split(':').slice(2).join(':')));
    for (let index = 1; index < starts.length; index += 1) {
      expect(starts[index] - starts[index - 1]).toBe(SECONDS_PER_MONTH * 1000);
    }
    rows.forEach((row, index) => {
      expect(row.balance_before).toBe(BigInt(index) * 10n ** 9n);
      expect(row.balance_after).toBe(BigInt(index + 1) * 10n ** 9n);
    });
    expect((await runIdsOf(serviceId)).length).toBeGreaterThanOrEqual(3);
    // Histories that continue as new, for the replay test (RECORD_HISTORIES=1).
    await recordHistories(harness.stack.client, 'vpn-service-cycles', [serviceWorkflowId(serviceId)]);
  });

  it('grants nothing while suspended for billing, and only the current cycle on unsuspend', async () => {
    const serviceId = uniqueId();
    expect((await create(serviceId, { monthly: 1 })).status).toBe(200);
    const suspended = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/suspend`, {});
    expect(suspended.status).toBe(200);
    const atSuspend = (await grants(serviceId)).length;
    // The next grant time moves on only once a boundary's grant was asked for: two boundaries passed.
    const twoMonthsLater = Date.parse(suspended.body.service.nextGrantAt) + 2 * SECONDS_PER_MONTH * 1000;
    await eventually(
      async () => {
        const { nextGrantAt } = (await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`)).body;
        expect(Date.parse(nextGrantAt)).toBeGreaterThanOrEqual(twoMonthsLater);
      },
      { timeoutMs: SECONDS_PER_MONTH * 5_000 },
    );
    expect(await grants(serviceId)).toHaveLength(atSuspend);

    expect((await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/unsuspend`, {})).status).toBe(200);
    const afterUnsuspend = await grants(serviceId);
    expect(afterUnsuspend).toHaveLength(atSuspend + 1);
    const last = afterUnsuspend[afterUnsuspend.length - 1];
    const cycleStart = Date.parse((last.idempotency_key as string).split(':').slice(2).join(':'));
    expect(Date.now() - cycleStart).toBeLessThan(SECONDS_PER_MONTH * 1000 + 1000);
  });

  it('keeps state and applied addons across a continue-as-new forced by history length', async () => {
    const serviceId = uniqueId();
    // One Time has no cycle boundary, so only the history length can make this workflow continue.
    expect((await create(serviceId, { onetime: 0 }, 'One Time')).status).toBe(200);
    const handle = harness.stack.client.workflow.getHandle(serviceWorkflowId(serviceId));
    const firstRun = (await handle.describe()).runId;
    expect(
      (await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/traffic`, { invoiceId: 'CAN-1', gb: 3 }))
        .status,
    ).toBe(200);
    // Each reset is an update plus a router activity: enough of them pass the history threshold.
    for (let index = 0; index < HISTORY_SUGGEST_CONTINUE_AS_NEW / 8; index += 1) {
      expect(
        (await harness.admin('POST', `/v1/admin/services/${serviceId}/reset-connection`, {})).status,
      ).toBe(200);
    }
    await eventually(async () => expect((await handle.describe()).runId).not.toBe(firstRun), {
      timeoutMs: 20_000,
    });
    const again = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/traffic`, {
      invoiceId: 'CAN-1',
      gb: 3,
    });
    expect(again.status).toBe(200);
    expect(again.body.balanceBytes).toBe(String(3n * 10n ** 9n));
    const status = await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`);
    expect(status.body).toMatchObject({
      status: 'active',
      routerPending: false,
      balanceBytes: String(3n * 10n ** 9n),
    });
    expect(router.secrets().filter((secret) => secret.name === `vpn${serviceId}`)).toHaveLength(1);
  });
});
