import type { SimulatedRouter } from '../../simulator';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { createLedgerStore } from '../../store/ledger-store';
import { balanceChangedSignal, statusQuery } from '../../workflows/vpn-service/messages';
import { eventually } from '../helpers/eventually';
import { insertService, uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import {
  ACCOUNT_PASSWORD,
  createServices,
  meteredProduct,
  runMeteringPass,
  type CreatedService,
} from './metering-fixtures';

describe('limiting when traffic runs out', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;

  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, { seed: 7 }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  const secretOf = (service: CreatedService) =>
    router.secrets().find((secret) => secret.name === service.username);
  const isOnline = (service: CreatedService) =>
    router.activeSessions().some((session) => session.name === service.username);
  const statusOf = (service: CreatedService) =>
    harness.stack.client.workflow.getHandle(serviceWorkflowId(service.serviceId)).query(statusQuery);
  const balanceOf = async (service: CreatedService) =>
    BigInt((await harness.whmcs('GET', `/v1/whmcs/services/${service.serviceId}`)).body.balanceBytes);
  const connect = (service: CreatedService) => {
    router.connectSession(service.username, ACCOUNT_PASSWORD, { service: 'l2tp' });
    router.setTrafficRate(service.username, {
      uploadBytesPerSecond: 10_000,
      downloadBytesPerSecond: 100_000,
    });
  };

  it('suspends an exhausted account within one pass, restores it on purchase, never limits unlimited', async () => {
    const [small, unlimited] = await createServices(harness, [
      { serviceId: uniqueId(), routerId, product: meteredProduct(0.001) },
      { serviceId: uniqueId(), routerId, product: meteredProduct(0) },
    ]);
    connect(small);
    connect(unlimited);
    const first = await runMeteringPass(harness, [routerId]);
    expect(first).toMatchObject({ metered: 1, services: 2, signalled: 0 });

    // 110 kB/s for a minute: the 1 MB grant is gone.
    router.advance(60_000);
    const pass = await runMeteringPass(harness, [routerId]);
    expect(pass).toMatchObject({ metered: 1, failed: [], services: 2, bytes: String(2n * 60n * 110_000n) });
    expect(pass.signalled).toBe(1);
    await eventually(async () => {
      expect(await statusOf(small)).toMatchObject({
        status: 'suspended',
        suspensionReasons: ['traffic'],
        routerPending: false,
      });
    });
    expect(secretOf(small)?.disabled).toBe('true');
    expect(isOnline(small)).toBe(false);
    expect(() => connect(small)).toThrow();
    expect(await balanceOf(small)).toBe(1_000_000n - 60n * 110_000n);

    const bought = await harness.whmcs('POST', `/v1/whmcs/services/${small.serviceId}/traffic`, {
      invoiceId: 'INV-METER-1',
      gb: '1',
    });
    expect(bought.status).toBe(200);
    expect(bought.body).toMatchObject({
      credited: true,
      service: { status: 'active', suspensionReasons: [] },
    });
    expect(secretOf(small)?.disabled).toBe('false');
    connect(small);
    expect(isOnline(small)).toBe(true);

    router.advance(60_000);
    const later = await runMeteringPass(harness, [routerId]);
    expect(later).toMatchObject({ metered: 1, signalled: 0 });
    expect(await statusOf(small)).toMatchObject({ status: 'active' });

    expect(await balanceOf(unlimited)).toBe(-2n * 60n * 110_000n);
    expect(await statusOf(unlimited)).toMatchObject({ status: 'active', suspensionReasons: [] });
    expect(secretOf(unlimited)?.disabled).toBe('false');
    expect(isOnline(unlimited)).toBe(true);
  }, 60_000);

  it('passes over an exhausted service that has no workflow to tell', async () => {
    const username = `ghost${uniqueId()}`;
    const ghost = await insertService(harness.stack.db, BigInt(routerId), {
      product: meteredProduct(0.001),
      username,
    });
    router.addStaticQueue({ name: username, target: '10.100.0.250/32', comment: `svc=${ghost}` });
    const pass = await runMeteringPass(harness, [routerId]);
    expect(pass).toMatchObject({ metered: 1, failed: [] });
    expect(pass.signalled).toBeGreaterThanOrEqual(1);
  });

  it('takes the balance from the ledger, never from a signal that may be stale', async () => {
    const [service] = await createServices(harness, [
      { serviceId: uniqueId(), routerId, product: meteredProduct(10) },
    ]);
    const handle = harness.stack.client.workflow.getHandle(serviceWorkflowId(service.serviceId));

    // Metering read 0 before the first grant landed: the ledger now says 10 GB, so nothing happens.
    await handle.signal(balanceChangedSignal, { balanceBytes: '0' });
    // The workflow has asked the ledger once a local activity's marker follows the signal.
    await eventually(async () => {
      const events = (await handle.fetchHistory()).events!;
      const signalled = events.findIndex((event) => event.workflowExecutionSignaledEventAttributes);
      expect(signalled).toBeGreaterThanOrEqual(0);
      expect(events.slice(signalled).some((event) => event.markerRecordedEventAttributes)).toBe(true);
    });
    expect(await statusOf(service)).toMatchObject({ status: 'active', suspensionReasons: [] });
    expect(secretOf(service)?.disabled).toBe('false');

    // The other way round: the signal says plenty, the ledger says exhausted.
    await createLedgerStore(harness.stack.db).append({
      serviceId: service.serviceId,
      kind: 'usage',
      deltaBytes: -11_000_000_000n,
      idempotencyKey: `usage:test:${service.serviceId}`,
      description: 'Traffic used',
      invoiceRef: null,
    });
    await handle.signal(balanceChangedSignal, { balanceBytes: '5000000000' });
    await eventually(async () => {
      expect(await statusOf(service)).toMatchObject({
        status: 'suspended',
        suspensionReasons: ['traffic'],
        routerPending: false,
      });
    });
    expect(secretOf(service)?.disabled).toBe('true');
  }, 60_000);
});
