import { Worker } from '@temporalio/worker';
import { encryptedDataConverter } from '../../infra/payload-codec';
import type { SimulatedRouter } from '../../simulator';
import { createPrng } from '../../simulator/traffic';
import { gbToBytes } from '../../domain/units';
import type { MeteringSummary } from '../../workflows/metering';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { testPayloadCodec } from '../helpers/stack';
import { addSimulatedRouter } from '../helpers/simulated-router';
import {
  ACCOUNT_PASSWORD,
  billedBytes,
  createServices,
  meteredProduct,
  runMeteringPass,
  type CreatedService,
} from './metering-fixtures';
import { ReadThenResetMeter } from './read-then-reset-meter';

const ROUTERS = 4;
const ACCOUNTS_PER_ROUTER = 50;
const GRANT_GB = 1_000;
/** Each step is one 5-minute metering interval of virtual time: 14 steps, over an hour of traffic. */
const STEPS = 14;
const INTERVAL_MS = 5 * 60_000;
const CHURN_EVERY_MS = 20_000;
/** How long a cron module takes between reading the counters and resetting them. */
const READ_TO_RESET_MS = 2_000;
const OFFLINE_FROM = 3;
const OFFLINE_UNTIL = 5;
const REBOOT_STEP = 7;
const DIE_AFTER_WRITING_STEP = 9;
/** Mid-interval, minutes after the last pass: a terminate must bill the traffic since it. */
const TERMINATE_STEP = 11;
const TERMINATED_ACCOUNTS = 8;

describe('metering against the simulator’s ground truth', () => {
  let harness: Harness;
  const routers: Array<{ router: SimulatedRouter; routerId: number }> = [];
  /** The router whose next meterRouter call writes, then fails before reporting (once). */
  let dieAfterWriting: number | undefined;
  let deaths = 0;

  beforeAll(async () => {
    harness = await startHarness({
      activities: (real) => ({
        async meterRouter(request) {
          const result = await real.meterRouter(request);
          if (request.routerId === dieAfterWriting) {
            dieAfterWriting = undefined;
            deaths += 1;
            throw new Error('the worker was lost after the reading was written');
          }
          return result;
        },
      }),
    });
    for (let index = 0; index < ROUTERS; index += 1) {
      routers.push(await addSimulatedRouter(harness, { seed: 100 + index, identity: `meter-${index}` }));
    }
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
    await Promise.all(routers.map(({ router }) => router.stop()));
  });

  it('bills every byte exactly once through reconnects, kicks, an outage, a lost worker and a reboot', async () => {
    const created = await createServices(
      harness,
      routers.flatMap(({ routerId }) =>
        Array.from({ length: ACCOUNTS_PER_ROUTER }, () => ({
          serviceId: uniqueId(),
          routerId,
          product: meteredProduct(GRANT_GB),
        })),
      ),
    );
    expect(created).toHaveLength(ROUTERS * ACCOUNTS_PER_ROUTER);
    const routerIds = routers.map(({ routerId }) => routerId);
    const accountsOf = (routerId: number) => created.filter((service) => service.routerId === routerId);
    const simulatorOf = (service: CreatedService) =>
      routers.find(({ routerId }) => routerId === service.routerId)!.router;

    const random = createPrng(20261125);
    const connect = (service: CreatedService) =>
      simulatorOf(service).connectSession(service.username, ACCOUNT_PASSWORD, {
        service: 'l2tp',
        callerId: `198.51.100.${service.serviceId % 250}`,
      });
    for (const service of created) if (random() < 0.8) connect(service);
    const terminated = new Set<number>();
    /** Hang-ups, kicks and reconnects; every session that ends takes its interface counters with it. */
    const churn = () => {
      for (const service of created) {
        if (random() >= 0.05 || terminated.has(service.serviceId)) continue;
        const router = simulatorOf(service);
        const online = router.activeSessions().some((session) => session.name === service.username);
        if (!online) connect(service);
        else if (random() < 0.5) router.kickSession(service.username);
        else router.disconnectSession(service.username);
      }
    };
    const advanceAll = (milliseconds: number) => {
      for (const { router } of routers) router.advance(milliseconds);
    };
    const truthOf = (service: CreatedService) => simulatorOf(service).groundTruth(service.username);

    const [rebooted, offline, dying, plain] = [routers[1], routers[2], routers[0], routers[3]];
    /** What each terminated service had used since its last pass when it was terminated. */
    const unbilledAtTerminate = new Map<number, bigint>();
    const terminateSome = async () => {
      const candidates = accountsOf(plain.routerId);
      const billedBefore = await billedBytes(
        harness,
        candidates.map((service) => service.serviceId),
      );
      const unbilled = (service: CreatedService) =>
        totalOf(truthOf(service)) - totalOf(billedBefore.get(service.serviceId)!);
      const victims = candidates.filter((service) => unbilled(service) > 0n).slice(0, TERMINATED_ACCOUNTS);
      for (const service of victims) {
        terminated.add(service.serviceId);
        unbilledAtTerminate.set(service.serviceId, unbilled(service));
      }
      const answers = await Promise.all(
        victims.map((service) => harness.whmcs('POST', `/v1/whmcs/services/${service.serviceId}/terminate`)),
      );
      for (const answer of answers) expect(answer.body).toMatchObject({ outcome: 'applied' });
    };
    const runId = uniqueId();
    const resetMeter = new ReadThenResetMeter();
    const summaries: MeteringSummary[] = [];
    let truthAtLastReading = new Map<number, bigint>();
    const rebootWindow = new Map<number, bigint>();
    const totalOf = (truth: { uploadBytes: bigint; downloadBytes: bigint }) =>
      truth.uploadBytes + truth.downloadBytes;

    for (let step = 1; step <= STEPS; step += 1) {
      const meterTime = INTERVAL_MS - READ_TO_RESET_MS;
      for (let elapsed = 0; elapsed < meterTime; elapsed += CHURN_EVERY_MS) {
        advanceAll(Math.min(CHURN_EVERY_MS, meterTime - elapsed));
        churn();
        if (step === REBOOT_STEP && elapsed === 6 * CHURN_EVERY_MS) {
          for (const service of accountsOf(rebooted.routerId)) {
            rebootWindow.set(
              service.serviceId,
              totalOf(truthOf(service)) - (truthAtLastReading.get(service.serviceId) ?? 0n),
            );
          }
          rebooted.router.reboot();
          for (const service of accountsOf(rebooted.routerId)) if (random() < 0.8) connect(service);
        }
        if (step === TERMINATE_STEP && elapsed === 8 * CHURN_EVERY_MS) await terminateSome();
      }
      const resets = await Promise.all(routers.map(({ router }) => resetMeter.read(router)));
      advanceAll(READ_TO_RESET_MS);
      await Promise.all(resets.map((finishReset) => finishReset?.()));

      if (step === OFFLINE_FROM) offline.router.setFault({ kind: 'offline' });
      if (step === DIE_AFTER_WRITING_STEP) dieAfterWriting = dying.routerId;
      const summary = await runMeteringPass(harness, routerIds, `metering-accuracy-${runId}-${step}`);
      summaries.push(summary);
      truthAtLastReading = new Map(
        accountsOf(rebooted.routerId).map((service) => [service.serviceId, totalOf(truthOf(service))]),
      );
      if (step >= OFFLINE_FROM && step <= OFFLINE_UNTIL) {
        expect(summary.failed).toEqual([
          { routerId: offline.routerId, error: expect.stringContaining('RouterUnreachableError') },
        ]);
        expect(summary.metered).toBe(ROUTERS - 1);
      } else {
        expect(summary).toMatchObject({ routers: ROUTERS, metered: ROUTERS, failed: [] });
      }
      if (step === OFFLINE_UNTIL) {
        expect(
          await harness.stack.db('router_metering').where({ router_id: offline.routerId }).first(),
        ).toMatchObject({ consecutive_failures: OFFLINE_UNTIL - OFFLINE_FROM + 1 });
        offline.router.setFault(undefined);
        await offline.router.whenListening();
        // A scheduled pass comes minutes later, after the pool's reconnect backoff (at most 15 s) has
        // passed; the virtual clock does not wait for it, so the backoff is dropped by hand.
        await harness.routerConnections.closeRouter(String(offline.routerId));
      }
    }
    expect(deaths).toBe(1);
    expect(summaries[DIE_AFTER_WRITING_STEP - 1]).toMatchObject({ metered: ROUTERS, failed: [] });

    const billed = await billedBytes(
      harness,
      created.map((service) => service.serviceId),
    );
    let truthTotal = 0n;
    let billedTotal = 0n;
    let lostToReboot = 0n;
    let windowTotal = 0n;
    for (const service of created) {
      const truth = truthOf(service);
      const bill = billed.get(service.serviceId)!;
      truthTotal += totalOf(truth);
      billedTotal += totalOf(bill);
      if (service.routerId === rebooted.routerId) {
        const lost = totalOf(truth) - totalOf(bill);
        const window = rebootWindow.get(service.serviceId)!;
        expect(lost).toBeGreaterThanOrEqual(0n);
        expect(lost).toBeLessThanOrEqual(window);
        expect(bill.uploadBytes).toBeLessThanOrEqual(truth.uploadBytes);
        expect(bill.downloadBytes).toBeLessThanOrEqual(truth.downloadBytes);
        lostToReboot += lost;
        windowTotal += window;
      } else {
        expect({ service: service.username, ...bill }).toEqual({ service: service.username, ...truth });
      }
    }
    expect(windowTotal).toBeGreaterThan(0n);
    expect(truthTotal - billedTotal).toBe(lostToReboot);

    // A terminate bills what its account used since the last pass: its last reading comes first.
    expect(unbilledAtTerminate.size).toBe(TERMINATED_ACCOUNTS);
    for (const [serviceId, unbilled] of unbilledAtTerminate) {
      const service = created.find((candidate) => candidate.serviceId === serviceId)!;
      expect(unbilled).toBeGreaterThan(0n);
      expect(billed.get(serviceId)).toEqual(truthOf(service));
      expect(plain.router.secrets().some((secret) => secret.name === service.username)).toBe(false);
    }

    // The ledger moved with the daily rows: every balance is the grant less what was billed.
    const balances: { service_id: bigint; balance_after: bigint }[] = await harness.stack
      .db('traffic_ledger')
      .distinctOn('service_id')
      .whereIn(
        'service_id',
        created.map((service) => service.serviceId),
      )
      .orderBy([{ column: 'service_id' }, { column: 'id', order: 'desc' }])
      .select('service_id', 'balance_after');
    expect(balances).toHaveLength(created.length);
    for (const { service_id, balance_after } of balances) {
      expect(balance_after).toBe(gbToBytes(GRANT_GB) - totalOf(billed.get(Number(service_id))!));
    }

    // The last pass recorded who is online, as the routers see it.
    const live: { service_id: bigint }[] = await harness.stack
      .db('live_sessions')
      .whereIn('router_id', routerIds)
      .select('service_id');
    const online = created.filter((service) =>
      simulatorOf(service)
        .activeSessions()
        .some((session) => session.name === service.username),
    );
    expect(new Set(live.map((row) => Number(row.service_id)))).toEqual(
      new Set(online.map((service) => service.serviceId)),
    );

    // The passes with an outage and with a lost worker replay deterministically from their histories.
    for (const step of [OFFLINE_FROM, DIE_AFTER_WRITING_STEP]) {
      const workflowId = `metering-accuracy-${runId}-${step}`;
      const history = await harness.stack.client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory(
        {
          workflowBundle: { codePath: harness.stack.bundlePath },
          dataConverter: encryptedDataConverter(testPayloadCodec),
        },
        history,
        workflowId,
      );
    }

    const resetCounted = created.reduce(
      (sum, service) => sum + (resetMeter.counted.get(service.username) ?? 0n),
      0n,
    );
    const percent = (part: bigint) => ((Number(part) / Number(truthTotal)) * 100).toFixed(3);
    console.log(
      [
        `metering accuracy over ${created.length} accounts, ${STEPS} passes of ${INTERVAL_MS / 60_000} min:`,
        `  ground truth           ${truthTotal} bytes`,
        `  vpnflow billed         ${billedTotal} bytes; lost ${truthTotal - billedTotal} (${percent(truthTotal - billedTotal)}%),` +
          ` all between router ${rebooted.routerId}'s last reading and its reboot (window ${windowTotal})`,
        `  read-then-reset meter  ${resetCounted} bytes; lost ${truthTotal - resetCounted} (${percent(truthTotal - resetCounted)}%)`,
        `  ${unbilledAtTerminate.size} terminated mid-interval with ${[...unbilledAtTerminate.values()].reduce((sum, bytes) => sum + bytes, 0n)} bytes since their last pass: all billed`,
      ].join('\n'),
    );
    expect(truthTotal - resetCounted).toBeGreaterThan(truthTotal - billedTotal);
  }, 240_000);
});
