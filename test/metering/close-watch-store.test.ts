import { createLedgerStore } from '../../store/ledger-store';
import { createMeteringStore } from '../../store/metering-store';
import { insertRouter, insertService } from '../helpers/fixtures';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

const product = { trafficGb: { monthly: 1 }, downloadMbps: 50, uploadMbps: 10 };

describe('what close watching reads from the database', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  const grant = (serviceId: number, bytes: bigint) =>
    createLedgerStore(stack.db).append({
      serviceId,
      kind: 'cycle_grant',
      deltaBytes: bytes,
      idempotencyKey: `grant:${serviceId}:watch-test`,
      description: 'grant',
      invoiceRef: null,
    });

  it('lists the router’s active services with the balance of their last reading', async () => {
    const routerId = Number(await insertRouter(stack.db));
    const store = createMeteringStore(stack.db);
    const read = await insertService(stack.db, BigInt(routerId), { product });
    const unread = await insertService(stack.db, BigInt(routerId), { product, billing_cycle: 'annually' });
    await insertService(stack.db, BigInt(routerId), {
      product,
      status: 'suspended',
      suspension_reasons: ['traffic'],
    });
    await insertService(stack.db, BigInt(await insertRouter(stack.db)), { product });
    await grant(read, 1_000_000n);
    const readAt = new Date('2026-11-25T10:00:00Z');
    await store.recordServiceReading(routerId, read, {
      uptimeSeconds: 300,
      requestedAt: readAt,
      readAt,
      counters: { uploadBytes: 1_000n, downloadBytes: 9_000n },
    });

    const services = await store.activeServices(routerId);
    expect(services).toEqual([
      {
        serviceId: read,
        username: `vpn${read}`,
        product: expect.objectContaining({ downloadMbps: 50, uploadMbps: 10 }),
        billingCycle: 'monthly',
        balanceBytes: 990_000n,
        lastReading: {
          uploadBytes: 1_000n,
          downloadBytes: 9_000n,
          routerUptimeSeconds: 300,
          readAtMs: readAt.getTime(),
        },
      },
      expect.objectContaining({
        serviceId: unread,
        billingCycle: 'annually',
        balanceBytes: 0n,
        lastReading: null,
      }),
    ]);
  });

  it('has nothing to watch on a disabled, retired or unknown router', async () => {
    const store = createMeteringStore(stack.db);
    const disabled = Number(await insertRouter(stack.db, { enabled: false }));
    const retired = Number(await insertRouter(stack.db, { retired_at: new Date() }));
    await insertService(stack.db, BigInt(disabled), { product });
    expect(await store.activeServices(disabled)).toBeNull();
    expect(await store.activeServices(retired)).toBeNull();
    expect(await store.activeServices(disabled + 1_000_000)).toBeNull();
  });

  it('changes its mark when a service of the router is created or saved, and only then', async () => {
    const routerId = Number(await insertRouter(stack.db));
    const store = createMeteringStore(stack.db);
    const marks = [await store.changeMark(routerId)];
    const serviceId = await insertService(stack.db, BigInt(routerId), { product });
    marks.push(await store.changeMark(routerId));
    await grant(serviceId, 5n);
    expect(await store.changeMark(routerId)).toBe(marks[1]);
    await stack
      .db('services')
      .where({ id: serviceId })
      .update({ revision: 7, status: 'suspended', suspension_reasons: ['admin'] });
    marks.push(await store.changeMark(routerId));
    await insertService(stack.db, BigInt(await insertRouter(stack.db)), { product });
    expect(await store.changeMark(routerId)).toBe(marks[2]);
    expect(new Set(marks).size).toBe(3);
  });
});
