import { createDatabase, type Database } from '../../infra/database';
import {
  AddressesHeldError,
  AddressPoolError,
  type AddressPoolStore,
  createAddressPoolStore,
} from '../../store/address-pool-store';
import { insertRouter, insertService } from '../helpers/fixtures';

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('address allocation', () => {
  let db: Database;
  let pool: AddressPoolStore;
  beforeAll(() => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: run tests through jest.config.js');
    db = createDatabase(url, 10);
    pool = createAddressPoolStore(db);
  });
  afterAll(() => db.destroy());

  async function routerWithPool(addresses: string[], kind: 'private' | 'public' = 'private') {
    const routerId = Number(await insertRouter(db));
    await pool.add(routerId, addresses, kind);
    return routerId;
  }

  it('gives a service the same address however often it asks', async () => {
    const routerId = await routerWithPool(['10.1.0.1', '10.1.0.2']);
    const serviceId = await insertService(db, BigInt(routerId));
    const first = await pool.allocate(routerId, serviceId);
    expect(first.address).toBe('10.1.0.1');
    expect(await pool.allocate(routerId, serviceId)).toEqual(first);
    const [row] = await db('services').where({ id: serviceId });
    expect(Number(row.address_id)).toBe(first.addressId);
  });

  it('hands out distinct addresses to concurrent allocations and then reports the pool exhausted', async () => {
    const addresses = Array.from({ length: 12 }, (_, index) => `10.2.0.${index + 1}`);
    const routerId = await routerWithPool(addresses);
    const services = await Promise.all(Array.from({ length: 14 }, () => insertService(db, BigInt(routerId))));
    // Every service asks twice at once, so the same-service path races too.
    const outcomes = await Promise.allSettled(
      [...services, ...services].map((serviceId) => pool.allocate(routerId, serviceId)),
    );
    const byService = new Map<number, Set<string>>();
    outcomes.forEach((outcome, index) => {
      if (outcome.status !== 'fulfilled') return;
      const serviceId = [...services, ...services][index];
      byService.set(serviceId, (byService.get(serviceId) ?? new Set()).add(outcome.value.address));
    });
    for (const held of byService.values()) expect(held.size).toBe(1);
    const given = [...byService.values()].map((held) => [...held][0]);
    expect(new Set(given).size).toBe(12);
    expect(given.sort()).toEqual([...addresses].sort());

    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures).toHaveLength(4);
    for (const failure of failures) {
      const error = (failure as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(AddressPoolError);
      expect(error).toMatchObject({ reason: 'exhausted' });
      expect((error as Error).message).toContain('no free private address');
    }
  });

  it('allocates only the asked kind, and frees an address on release and on termination', async () => {
    const routerId = await routerWithPool(['203.0.113.5'], 'public');
    const serviceA = await insertService(db, BigInt(routerId));
    const serviceB = await insertService(db, BigInt(routerId));
    expect(await rejectionOf(pool.allocate(routerId, serviceA))).toMatchObject({ reason: 'exhausted' });
    expect((await pool.allocate(routerId, serviceA, 'public')).address).toBe('203.0.113.5');
    expect(await rejectionOf(pool.allocate(routerId, serviceB, 'public'))).toMatchObject({
      reason: 'exhausted',
    });

    expect(await pool.release(serviceA)).toBe('203.0.113.5');
    expect(await pool.release(serviceA)).toBeUndefined();
    expect((await pool.allocate(routerId, serviceB, 'public')).address).toBe('203.0.113.5');

    await db('services').where({ id: serviceB }).update({ status: 'terminated', terminated_at: new Date() });
    expect(await rejectionOf(pool.allocate(routerId, serviceB, 'public'))).toMatchObject({
      reason: 'service-terminated',
    });
    expect((await pool.allocate(routerId, serviceA, 'public')).address).toBe('203.0.113.5');
  });

  it('moves a service to an address of another router when asked for that router', async () => {
    const oldRouter = await routerWithPool(['10.3.0.1']);
    const newRouter = await routerWithPool(['10.4.0.1']);
    const serviceId = await insertService(db, BigInt(oldRouter));
    await pool.allocate(oldRouter, serviceId);
    expect((await pool.allocate(newRouter, serviceId)).address).toBe('10.4.0.1');
    expect((await pool.counts(oldRouter)).private).toEqual({ total: 1, held: 0, free: 1 });
  });

  it('refuses a service that does not exist', async () => {
    const routerId = await routerWithPool(['10.5.0.1']);
    expect(await rejectionOf(pool.allocate(routerId, 2_000_000_001))).toMatchObject({
      reason: 'service-not-found',
    });
  });
});

describe('address removal racing allocation', () => {
  let db: Database;
  let pool: AddressPoolStore;
  beforeAll(() => {
    db = createDatabase(process.env.DATABASE_URL as string, 10);
    pool = createAddressPoolStore(db);
  });
  afterAll(() => db.destroy());

  it('either removes the addresses or lets the allocations have them, never both and never a raw error', async () => {
    for (let round = 0; round < 6; round += 1) {
      const routerId = Number(await insertRouter(db));
      const addresses = ['10.9.0.1', '10.9.0.2', '10.9.0.3'];
      await pool.add(routerId, addresses, 'private');
      const services = await Promise.all(addresses.map(() => insertService(db, BigInt(routerId))));
      const removal = pool.remove(routerId, addresses);
      const allocations = services.map((serviceId) => pool.allocate(routerId, serviceId));
      const [removed, ...allocated] = await Promise.allSettled([removal, ...allocations]);

      if (removed.status === 'fulfilled') {
        expect(removed.value.removed).toBe(3);
        for (const outcome of allocated) {
          expect(outcome.status).toBe('rejected');
          expect((outcome as PromiseRejectedResult).reason).toMatchObject({ reason: 'exhausted' });
        }
      } else {
        expect(removed.reason).toBeInstanceOf(AddressesHeldError);
        const given = allocated.filter((outcome) => outcome.status === 'fulfilled');
        expect(given.length).toBeGreaterThan(0);
        for (const outcome of allocated.filter((outcome) => outcome.status === 'rejected'))
          expect((outcome as PromiseRejectedResult).reason).toMatchObject({ reason: 'exhausted' });
      }
    }
  });
});
