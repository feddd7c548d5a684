import { startRouter as startSimulatedRouter } from '../../simulator';
import {
  type PoolLimits,
  RouterConnectionPool,
  RouterFatalError,
  RouterOsClient,
  RouterTimeoutError,
  RouterUnreachableError,
} from '../../routeros';
import { eventually } from '../helpers/eventually';
import { plainSpec, rejectionOf, simulatedRouters } from './router-fixture';

const startRouter = simulatedRouters();
const pools: RouterConnectionPool[] = [];
afterAll(() => Promise.all(pools.map((pool) => pool.close())));

const TIMEOUT_MS = 400;
const limits: PoolLimits = {
  maxConnections: 2,
  maxInFlightPerConnection: 4,
  reconnectBackoffMs: { initial: 150, max: 300 },
};

async function routerWithPool(options: Parameters<typeof startRouter>[0] = {}) {
  const router = await startRouter(options);
  const pool = new RouterConnectionPool(plainSpec(router, { timeoutMs: TIMEOUT_MS }), limits);
  pools.push(pool);
  return { router, pool, client: new RouterOsClient(pool) };
}

const identity = (pool: RouterConnectionPool) => pool.call(['/system/identity/print']);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the rejection and how long it took. */
async function timedRejection(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await rejectionOf(promise);
  return { error, ms: Date.now() - started };
}

describe('faults', () => {
  it('offline: pending and new calls fail as unreachable, fast while down, and recover when it returns', async () => {
    const { router, pool } = await routerWithPool();
    await identity(pool);
    router.setFault({ kind: 'latency', milliseconds: 200 });
    const pending = identity(pool);
    await sleep(20);
    router.setFault({ kind: 'offline' });

    const inFlight = await timedRejection(pending);
    expect(inFlight.error).toBeInstanceOf(RouterUnreachableError);
    expect(inFlight.ms).toBeLessThan(TIMEOUT_MS);

    const refused = await timedRejection(identity(pool));
    expect(refused.error).toBeInstanceOf(RouterUnreachableError);
    expect(refused.error).toMatchObject({ kind: 'unreachable', retryable: true });
    const whileDown = await timedRejection(identity(pool));
    expect(whileDown.error).toBe(refused.error);
    expect(whileDown.ms).toBeLessThan(100);

    router.setFault(undefined);
    await router.whenListening();
    await sleep(limits.reconnectBackoffMs.max + 50);
    // Reconnecting takes a connect and a login within the call's 400 ms, which a loaded CI machine can
    // miss once; recovering means the next calls get through.
    await eventually(async () => expect(await identity(pool)).toEqual([{ name: 'MikroTik' }]), {
      timeoutMs: 5_000,
    });
  });

  it('stall: calls time out within their timeout, the stalled connection is dropped, and the pool recovers', async () => {
    const { router, pool } = await routerWithPool();
    await identity(pool);
    router.setFault({ kind: 'stall' });

    const stalled = await Promise.all(Array.from({ length: 6 }, () => timedRejection(identity(pool))));
    for (const { error, ms } of stalled) {
      expect(error).toBeInstanceOf(RouterTimeoutError);
      expect(error).toMatchObject({ kind: 'timeout', retryable: true });
      expect(ms).toBeLessThan(TIMEOUT_MS + 250);
    }
    const login = await timedRejection(identity(pool));
    expect(login.error).toBeInstanceOf(RouterTimeoutError);
    expect(login.ms).toBeLessThan(TIMEOUT_MS + 250);

    router.setFault(undefined);
    await sleep(limits.reconnectBackoffMs.max + 50);
    await expect(identity(pool)).resolves.toEqual([{ name: 'MikroTik' }]);
  });

  it('latency beyond the timeout is a timeout, not a hang', async () => {
    const { router, pool } = await routerWithPool();
    await identity(pool);
    router.setFault({ kind: 'latency', milliseconds: TIMEOUT_MS * 3 });
    const slow = await timedRejection(identity(pool));
    expect(slow.error).toBeInstanceOf(RouterTimeoutError);
    expect(slow.ms).toBeLessThan(TIMEOUT_MS + 250);
    router.setFault(undefined);
    await sleep(limits.reconnectBackoffMs.max + 50);
    await expect(identity(pool)).resolves.toHaveLength(1);
  });

  it('drop mid-reply: the cut reply fails as unreachable and the next call uses a fresh connection', async () => {
    const { router, client } = await routerWithPool();
    for (let index = 0; index < 300; index += 1) {
      router.addStaticQueue({ name: `queue-${index}`, target: `10.9.${index >> 8}.${index & 255}/32` });
    }
    await expect(client.readQueueCounters()).resolves.toHaveLength(300);
    router.setFault({ kind: 'drop-mid-reply' });
    const cut = await timedRejection(client.readQueueCounters());
    expect(cut.error).toBeInstanceOf(RouterUnreachableError);
    expect(cut.ms).toBeLessThan(TIMEOUT_MS);
    router.setFault(undefined);
    await expect(client.readQueueCounters()).resolves.toHaveLength(300);
  });

  it('!fatal rejects every pending call with the reason, and the next call reconnects', async () => {
    const { router, pool } = await routerWithPool();
    await identity(pool);
    router.setFault({ kind: 'fatal', reason: 'out of memory' });
    const results = await Promise.all(Array.from({ length: 3 }, () => timedRejection(identity(pool))));
    for (const { error, ms } of results) {
      expect(error).toBeInstanceOf(RouterFatalError);
      expect(error).toMatchObject({ kind: 'fatal', retryable: true });
      expect((error as Error).message).toContain('out of memory');
      expect(ms).toBeLessThan(TIMEOUT_MS);
    }
    router.setFault(undefined);
    await expect(identity(pool)).resolves.toHaveLength(1);
  });

  it('reboot and restart on the same port: the pool replaces its dead connections', async () => {
    const { router, pool } = await routerWithPool({ identity: 'first-life' });
    await identity(pool);
    router.reboot();
    await sleep(20);
    await expect(identity(pool)).resolves.toEqual([{ name: 'first-life' }]);

    const port = router.apiPort;
    await router.stop();
    await expect(identity(pool)).rejects.toBeInstanceOf(RouterUnreachableError);
    const reborn = await startSimulatedRouter({ apiPort: port, identity: 'second-life' });
    try {
      await sleep(limits.reconnectBackoffMs.max + 50);
      await expect(identity(pool)).resolves.toEqual([{ name: 'second-life' }]);
    } finally {
      await pool.close();
      await reborn.stop();
    }
  });

  it('bounds concurrency: at most maxConnections x maxInFlight calls at once, all answered', async () => {
    const { router, pool } = await routerWithPool();
    router.setFault({ kind: 'latency', milliseconds: 100 });
    const started = Date.now();
    const replies = await Promise.all(
      Array.from({ length: 24 }, () => pool.call(['/system/identity/print'], { timeoutMs: 3_000 })),
    );
    const elapsed = Date.now() - started;
    expect(replies).toHaveLength(24);
    expect(pool.connectionCount).toBeLessThanOrEqual(limits.maxConnections);
    // 24 calls through 8 slots of 100 ms each need at least three rounds.
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(2_000);
    router.setFault(undefined);
  });

  it('a router that never existed fails fast and classified', async () => {
    const router = await startRouter();
    const port = router.apiPort;
    await router.stop();
    const pool = new RouterConnectionPool(plainSpec(router, { port, timeoutMs: TIMEOUT_MS }), limits);
    pools.push(pool);
    const first = await timedRejection(identity(pool));
    expect(first.error).toBeInstanceOf(RouterUnreachableError);
    expect((first.error as Error).message).toContain('ECONNREFUSED');
    const second = await timedRejection(identity(pool));
    expect(second.ms).toBeLessThan(100);
  });
});
