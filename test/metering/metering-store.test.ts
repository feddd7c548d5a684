import { createLedgerStore } from '../../store/ledger-store';
import { createMeteringStore, type RouterReading } from '../../store/metering-store';
import { insertRouter, insertService } from '../helpers/fixtures';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

const GB = 1_000_000_000n;
const product = { trafficGb: { monthly: 10 }, lowBalanceThresholdGb: 2 };

describe('the metering store on PostgreSQL', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  const reading = (
    uptimeSeconds: number,
    counters: Record<string, [upload: bigint, download: bigint]>,
    sessions: RouterReading['sessions'] = [],
    readAt = new Date('2026-11-25T10:00:00Z'),
  ): RouterReading => ({
    uptimeSeconds,
    readAt,
    counters: Object.entries(counters).map(([name, [uploadBytes, downloadBytes]]) => ({
      name,
      uploadBytes,
      downloadBytes,
    })),
    sessions,
  });

  async function setUp() {
    const routerId = Number(await insertRouter(stack.db));
    const serviceId = await insertService(stack.db, BigInt(routerId), { product });
    const username = `vpn${serviceId}`;
    await createLedgerStore(stack.db).append({
      serviceId,
      kind: 'cycle_grant',
      deltaBytes: 10n * GB,
      idempotencyKey: `grant:${serviceId}:test`,
      description: 'grant',
      invoiceRef: null,
    });
    return { routerId, serviceId, username, store: createMeteringStore(stack.db) };
  }

  const ledgerOf = (serviceId: number) =>
    stack.db('traffic_ledger').where({ service_id: serviceId, kind: 'usage' }).orderBy('id');
  const dailyOf = (serviceId: number) =>
    stack.db('daily_usage').where({ service_id: serviceId }).orderBy('day');

  it('counts increases once, starts a new baseline on a reboot or a reset, and ignores a repeat', async () => {
    const { routerId, serviceId, username, store } = await setUp();

    const [first] = await store.recordRouterReading(routerId, reading(100, { [username]: [1_000n, 5_000n] }));
    expect(first).toMatchObject({
      serviceId,
      usedBytes: 6_000n,
      usageRecorded: true,
      newBaseline: 'first-reading',
      balanceBytes: 10n * GB - 6_000n,
      lowBalanceThresholdBytes: 2n * GB,
      trafficGrant: 10n * GB,
      suspendedForTraffic: false,
    });
    const [repeat] = await store.recordRouterReading(
      routerId,
      reading(100, { [username]: [1_000n, 5_000n] }),
    );
    expect(repeat).toMatchObject({ usedBytes: 0n, usageRecorded: false, balanceBytes: 10n * GB - 6_000n });

    await store.recordRouterReading(routerId, reading(400, { [username]: [1_500n, 9_000n] }));
    // Rebooted: uptime went down, so the (higher) counters count from zero.
    await store.recordRouterReading(routerId, reading(30, { [username]: [2_000n, 20_000n] }));
    // The queue was re-created: counters went down without a reboot.
    const [reset] = await store.recordRouterReading(routerId, reading(90, { [username]: [10n, 20n] }));
    expect(reset).toMatchObject({ usedBytes: 30n, newBaseline: 'counter-reset' });

    const usage = await ledgerOf(serviceId);
    expect(usage.map((row) => row.delta_bytes)).toEqual([-6_000n, -4_500n, -22_000n, -30n]);
    expect(usage.map((row) => row.idempotency_key)).toEqual([
      `usage:${routerId}:${serviceId}:100-1000-5000`,
      `usage:${routerId}:${serviceId}:400-1500-9000`,
      `usage:${routerId}:${serviceId}:30-2000-20000`,
      `usage:${routerId}:${serviceId}:90-10-20`,
    ]);
    for (const [index, row] of usage.entries()) {
      const before = index === 0 ? 10n * GB : usage[index - 1].balance_after;
      expect(row.balance_before).toBe(before);
    }
    expect(await dailyOf(serviceId)).toEqual([
      {
        service_id: BigInt(serviceId),
        day: '2026-11-25',
        upload_bytes: 1_000n + 500n + 2_000n + 10n,
        download_bytes: 5_000n + 4_000n + 20_000n + 20n,
      },
    ]);
    const state = await stack.db('meter_state').where({ router_id: routerId, service_id: serviceId }).first();
    expect(state).toMatchObject({ upload_counter: 10n, download_counter: 20n, router_uptime_seconds: 90n });
  });

  it('counts a reading once when the same poll is written twice at the same time', async () => {
    const { routerId, serviceId, username, store } = await setUp();
    const same = reading(500, { [username]: [7n, 700n] });
    await Promise.all([store.recordRouterReading(routerId, same), store.recordRouterReading(routerId, same)]);
    expect((await ledgerOf(serviceId)).map((row) => row.delta_bytes)).toEqual([-707n]);
  });

  it('keeps one balance chain with grants written between readings', async () => {
    const { routerId, serviceId, username, store } = await setUp();
    const ledger = createLedgerStore(stack.db);
    await Promise.all([
      store.recordRouterReading(routerId, reading(10, { [username]: [GB, 3n * GB] })),
      ledger.append({
        serviceId,
        kind: 'addon',
        deltaBytes: 5n * GB,
        idempotencyKey: `addon:${serviceId}:INV-9`,
        description: 'addon',
        invoiceRef: 'INV-9',
      }),
    ]);
    const [last] = await store.recordRouterReading(routerId, reading(20, { [username]: [2n * GB, 7n * GB] }));
    expect(last.balanceBytes).toBe(10n * GB + 5n * GB - 9n * GB);
    expect(await ledger.balance(serviceId)).toBe(last.balanceBytes);
    const rows = await stack.db('traffic_ledger').where({ service_id: serviceId }).orderBy('id');
    for (let index = 1; index < rows.length; index += 1) {
      expect(rows[index].balance_before).toBe(rows[index - 1].balance_after);
    }
  });

  it('meters only live services of the router by queue name, and replaces the live sessions', async () => {
    const { routerId, serviceId, username, store } = await setUp();
    const otherRouter = Number(await insertRouter(stack.db));
    const elsewhere = await insertService(stack.db, BigInt(otherRouter));
    const terminated = await insertService(stack.db, BigInt(routerId), {
      status: 'terminated',
      terminated_at: new Date(),
    });
    const results = await store.recordRouterReading(
      routerId,
      reading(
        60,
        {
          [username]: [1n, 2n],
          [`vpn${elsewhere}`]: [5n, 5n],
          [`vpn${terminated}`]: [9n, 9n],
          stranger: [3n, 3n],
        },
        [
          {
            name: username,
            service: 'sstp',
            callerId: '203.0.113.9',
            address: '10.0.0.9',
            uptimeSeconds: 42,
          },
          { name: 'stranger', callerId: undefined, address: undefined, uptimeSeconds: undefined },
        ],
      ),
    );
    expect(results.map((result) => result.serviceId)).toEqual([serviceId]);
    expect(await stack.db('live_sessions').where({ router_id: routerId })).toEqual([
      {
        router_id: BigInt(routerId),
        service_id: BigInt(serviceId),
        service: 'sstp',
        caller_id: '203.0.113.9',
        address: '10.0.0.9',
        uptime_seconds: 42n,
        seen_at: new Date('2026-11-25T10:00:00Z'),
      },
    ]);
    await store.recordRouterReading(routerId, reading(120, { [username]: [1n, 2n] }));
    expect(await stack.db('live_sessions').where({ router_id: routerId })).toEqual([]);
    expect(await stack.db('router_metering').where({ router_id: routerId }).first()).toMatchObject({
      consecutive_failures: 0,
      services_metered: 1,
      last_error: null,
    });
    await store.recordRouterFailure(routerId, 'unreachable', new Date());
    await store.recordRouterFailure(routerId, 'still unreachable', new Date());
    expect(await stack.db('router_metering').where({ router_id: routerId }).first()).toMatchObject({
      consecutive_failures: 2,
      last_error: 'still unreachable',
    });
    await store.recordRouterFailure(routerId + 1_000_000, 'deleted router', new Date());
    expect(await stack.db('router_metering').where({ router_id: routerId + 1_000_000 })).toEqual([]);
  });

  const at = (iso: string) => new Date(`2026-11-25T${iso}Z`);
  const serviceReading = (
    uptimeSeconds: number,
    [uploadBytes, downloadBytes]: [bigint, bigint],
    requestedAt: Date,
    readAt = new Date(requestedAt.getTime() + 5),
  ) => ({ uptimeSeconds, requestedAt, readAt, counters: { uploadBytes, downloadBytes } });

  it('records one service by the same rules, leaving the router’s other services and sessions alone', async () => {
    const { routerId, serviceId, username, store } = await setUp();
    const neighbour = await insertService(stack.db, BigInt(routerId), { product });
    const neighbourName = `vpn${neighbour}`;
    await store.recordRouterReading(
      routerId,
      reading(
        100,
        { [username]: [1_000n, 5_000n], [neighbourName]: [10n, 20n] },
        [{ name: username, callerId: '203.0.113.9', address: '10.0.0.9', uptimeSeconds: 42 }],
        at('10:00:00'),
      ),
    );
    const before = await stack.db('router_metering').where({ router_id: routerId }).first();

    const metered = await store.recordServiceReading(
      routerId,
      serviceId,
      serviceReading(160, [1_600n, 9_000n], at('10:01:00')),
    );
    expect(metered).toMatchObject({
      serviceId,
      usedBytes: 4_600n,
      usageRecorded: true,
      newBaseline: null,
      balanceBytes: 10n * GB - 6_000n - 4_600n,
    });
    expect((await ledgerOf(serviceId)).map((row) => row.delta_bytes)).toEqual([-6_000n, -4_600n]);
    expect((await ledgerOf(neighbour)).map((row) => row.delta_bytes)).toEqual([-30n]);
    expect(await stack.db('live_sessions').where({ router_id: routerId })).toHaveLength(1);
    expect(await stack.db('router_metering').where({ router_id: routerId }).first()).toEqual(before);
    // The same reading again adds nothing; a service of another router is not this router's to record.
    await store.recordServiceReading(
      routerId,
      serviceId,
      serviceReading(160, [1_600n, 9_000n], at('10:01:30')),
    );
    expect(await ledgerOf(serviceId)).toHaveLength(2);
    const otherRouter = Number(await insertRouter(stack.db));
    await expect(
      store.recordServiceReading(otherRouter, serviceId, serviceReading(1, [1n, 1n], at('10:02:00'))),
    ).resolves.toBeUndefined();
  });

  it('counts every byte once when a pass and a close read of one queue cross', async () => {
    const { routerId, serviceId, username, store } = await setUp();
    await store.recordRouterReading(routerId, {
      ...reading(100, { [username]: [1_000n, 5_000n] }, [], at('10:00:00.005')),
      requestedAt: at('10:00:00'),
    });
    // The pass asks at :10.000 and its reply arrives at :10.050, but it records after the close read
    // that asked at :10.020, got higher counters at :10.030 and recorded first.
    await store.recordServiceReading(
      routerId,
      serviceId,
      serviceReading(110, [1_200n, 7_000n], at('10:00:10.020'), at('10:00:10.030')),
    );
    const [pass] = await store.recordRouterReading(routerId, {
      ...reading(110, { [username]: [1_150n, 6_500n] }, [], at('10:00:10.050')),
      requestedAt: at('10:00:10'),
    });
    expect(pass).toMatchObject({ usedBytes: 0n, usageRecorded: false, balanceBytes: 10n * GB - 8_200n });
    expect((await ledgerOf(serviceId)).map((row) => row.delta_bytes)).toEqual([-6_000n, -2_200n]);
    expect(
      await stack.db('meter_state').where({ router_id: routerId, service_id: serviceId }).first(),
    ).toMatchObject({ upload_counter: 1_200n, download_counter: 7_000n, read_at: at('10:00:10.030') });

    // A reading asked for after the stored one arrived, with lower counters, is a reset: counted from zero.
    const [reset] = await store.recordRouterReading(routerId, {
      ...reading(400, { [username]: [5n, 6n] }, [], at('10:05:00.010')),
      requestedAt: at('10:05:00'),
    });
    expect(reset).toMatchObject({ usedBytes: 11n, newBaseline: 'counter-reset' });
  });
});
