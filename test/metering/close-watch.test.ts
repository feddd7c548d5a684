import type { SimulatedRouter } from '../../simulator';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { statusQuery } from '../../workflows/vpn-service/messages';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import {
  ACCOUNT_PASSWORD,
  billedBytes,
  createServices,
  driveInRealTime,
  meteredProduct,
  runMeteringPass,
  watchClosely,
  type CreatedService,
} from './metering-fixtures';

/** 10 Mbit/s down and 2 up: at most 1.5 MB a second both ways together. */
const BYTES_PER_SECOND = 1_500_000n;
const product = (trafficGb: number) => meteredProduct(trafficGb, { downloadMbps: 10, uploadMbps: 2 });

describe('close watching of near-empty accounts', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;

  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, { seed: 31 }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  const statusOf = (service: CreatedService) =>
    harness.stack.client.workflow.getHandle(serviceWorkflowId(service.serviceId)).query(statusQuery);
  const isOnline = (service: CreatedService) =>
    router.activeSessions().some((session) => session.name === service.username);
  const connect = (service: CreatedService) => {
    router.connectSession(service.username, ACCOUNT_PASSWORD, { service: 'l2tp' });
    // Faster than the queue allows: the account moves exactly at its sold speed.
    router.setTrafficRate(service.username, { uploadBytesPerSecond: 1e7, downloadBytesPerSecond: 1e7 });
  };
  const usedBy = (service: CreatedService) => {
    const truth = router.groundTruth(service.username);
    return truth.uploadBytes + truth.downloadBytes;
  };

  it('limits an account within moments of its balance reaching zero, again after a purchase', async () => {
    const [near, plenty, unlimited] = await createServices(harness, [
      { serviceId: uniqueId(), routerId, product: product(0.003) },
      { serviceId: uniqueId(), routerId, product: product(1_000) },
      { serviceId: uniqueId(), routerId, product: product(0) },
    ]);
    for (const service of [near, plenty, unlimited]) connect(service);
    // A first pass records every queue: from then on only an account near its end needs watching.
    await runMeteringPass(harness, [routerId]);
    const watch = await watchClosely(harness, [routerId]);
    const printsBefore = router.commandsReceived()['/queue/simple/print'] ?? 0;
    const clock = driveInRealTime([router]);
    const watchedFrom = Date.now();
    try {
      await eventually(() => expect(isOnline(near)).toBe(false), { timeoutMs: 20_000, intervalMs: 20 });
      const firstOverage = usedBy(near) - 3_000_000n;
      await eventually(async () =>
        expect(await statusOf(near)).toMatchObject({ status: 'suspended', suspensionReasons: ['traffic'] }),
      );
      expect(firstOverage).toBeGreaterThanOrEqual(0n);
      expect(firstOverage).toBeLessThanOrEqual(2n * BYTES_PER_SECOND);

      // Bought traffic gives access back; the account is watched again at once and cut again.
      const bought = await harness.whmcs('POST', `/v1/whmcs/services/${near.serviceId}/traffic`, {
        invoiceId: `INV-WATCH-${near.serviceId}`,
        gb: '0.002',
      });
      expect(bought.body).toMatchObject({ credited: true, service: { status: 'active' } });
      connect(near);
      const usedBefore = usedBy(near);
      await eventually(() => expect(isOnline(near)).toBe(false), { timeoutMs: 20_000, intervalMs: 20 });
      const secondOverage = usedBy(near) - usedBefore - (2_000_000n - firstOverage);
      expect(secondOverage).toBeGreaterThanOrEqual(0n);
      expect(secondOverage).toBeLessThanOrEqual(2n * BYTES_PER_SECOND);
      console.log(
        `close watching at 12 Mbit/s: overage ${firstOverage} and ${secondOverage} bytes ` +
          `(${(Number(firstOverage) / Number(BYTES_PER_SECOND)).toFixed(2)} s and ` +
          `${(Number(secondOverage) / Number(BYTES_PER_SECOND)).toFixed(2)} s of its speed)`,
      );
    } finally {
      clock.stop();
      await watch.stop();
    }
    const watchedSeconds = (Date.now() - watchedFrom) / 1000;
    const prints = (router.commandsReceived()['/queue/simple/print'] ?? 0) - printsBefore;
    // One print a second, a few more when an account is about to run out, and the cuts' own reads.
    expect(prints).toBeGreaterThan(0);
    expect(prints).toBeLessThan(watchedSeconds * 4 + 20);

    expect(isOnline(plenty)).toBe(true);
    expect(isOnline(unlimited)).toBe(true);
    expect(await statusOf(plenty)).toMatchObject({ status: 'active' });
    expect(await statusOf(unlimited)).toMatchObject({ status: 'active' });

    // What the cuts let through is billed: the ledger holds every byte the router counted.
    await runMeteringPass(harness, [routerId]);
    const billed = await billedBytes(harness, [near.serviceId, plenty.serviceId, unlimited.serviceId]);
    for (const service of [near, plenty, unlimited]) {
      expect(billed.get(service.serviceId)).toEqual(router.groundTruth(service.username));
    }
    const balance = await harness.whmcs('GET', `/v1/whmcs/services/${near.serviceId}`);
    expect(BigInt(balance.body.balanceBytes)).toBe(5_000_000n - usedBy(near));
  }, 120_000);
});
