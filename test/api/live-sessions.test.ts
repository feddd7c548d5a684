import { LiveSessions } from '../../api/live-sessions';
import { RouterConnections, type RouterClient, type RouterDirectory } from '../../routeros';
import type { StatisticsStore } from '../../store/statistics-store';
import { plainSpec, simulatedRouters } from '../routeros/router-fixture';

/** Live status read from the router on demand, shared by a storm of page views, with a fallback. */
describe('live sessions', () => {
  const startRouter = simulatedRouters();
  const pools = new RouterConnections();
  afterAll(() => pools.close());

  const metered: Pick<StatisticsStore, 'meteredSessions' | 'routerMetering'> = {
    meteredSessions: async () => [
      {
        protocol: 'l2tp',
        callerId: '198.51.100.9',
        address: '10.0.0.9',
        uptimeSeconds: 60,
        seenAt: new Date(0),
      },
    ],
    routerMetering: async (routerId) => [
      {
        routerId: routerId ?? 1,
        name: 'edge',
        enabled: true,
        createdAt: new Date('2026-11-01T00:00:00Z'),
        lastAttemptAt: new Date('2026-11-30T10:00:00Z'),
        lastSuccessAt: new Date('2026-11-30T10:00:00Z'),
        lastError: null,
        consecutiveFailures: 0,
        servicesMetered: 1,
        bytesMetered: 0n,
      },
    ],
  };

  /** Counts the router prints the live status costs. */
  function countingDirectory(client: RouterClient) {
    const counter = { prints: 0 };
    const directory: RouterDirectory = {
      clientFor: async () => ({
        ...client,
        listActiveSessions: () => {
          counter.prints += 1;
          return client.listActiveSessions();
        },
      }),
    };
    return { directory, counter };
  }

  it('answers from the router at once, and a storm of 200 page views costs one print', async () => {
    const router = await startRouter();
    router.addSecret({ name: 'alice', password: 'alice-Passw0rd', service: 'sstp' });
    router.connectSession('alice', 'alice-Passw0rd', { service: 'sstp', callerId: '203.0.113.5' });
    router.advance(90_000);
    const { directory, counter } = countingDirectory(pools.client('live-1', plainSpec(router)));
    let now = Date.parse('2026-12-01T12:00:00Z');
    const live = new LiveSessions(directory, metered, { now: () => now, cacheMs: 5_000 });
    const service = { serviceId: 1, routerId: 1, username: 'alice' };

    const answers = await Promise.all(Array.from({ length: 200 }, () => live.of(service)));
    expect(counter.prints).toBe(1);
    expect(answers[199]).toEqual({
      online: true,
      sessions: [
        {
          protocol: 'sstp',
          callerId: '203.0.113.5',
          address: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
          uptimeSeconds: 90,
        },
      ],
      source: 'router',
      asOf: '2026-12-01T12:00:00.000Z',
    });
    expect(await live.of({ ...service, username: 'bob' })).toMatchObject({ online: false, source: 'router' });
    expect(counter.prints).toBe(1);

    router.kickSession('alice');
    now += 5_001;
    expect(await live.of(service)).toMatchObject({ online: false, source: 'router' });
    expect(counter.prints).toBe(2);
  });

  it('falls back to the last metering pass, with its time, when the router does not answer in time', async () => {
    const router = await startRouter();
    router.setFault({ kind: 'stall' });
    const { directory } = countingDirectory(
      pools.client('live-2', { ...plainSpec(router), timeoutMs: 10_000 }),
    );
    const live = new LiveSessions(directory, metered, { timeoutMs: 300 });
    const started = Date.now();
    expect(await live.of({ serviceId: 1, routerId: 2, username: 'alice' })).toEqual({
      online: true,
      sessions: [{ protocol: 'l2tp', callerId: '198.51.100.9', address: '10.0.0.9', uptimeSeconds: 60 }],
      source: 'metering',
      asOf: '2026-11-30T10:00:00.000Z',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    router.setFault(undefined);
  });
});
