import { startRouters, type SimulatedRouter } from '../../simulator';
import { RawClient } from './raw-client';

const ROUTERS = 100;
const QUEUES = 1_000;

describe('many routers', () => {
  let routers: SimulatedRouter[] = [];
  afterAll(() => Promise.all(routers.map((router) => router.stop())));

  it(`prints ${QUEUES} static queues from each of ${ROUTERS} routers well under a second each`, async () => {
    const setupStarted = performance.now();
    routers = await startRouters(ROUTERS, (index) => ({ identity: `r${index}` }));
    for (const [index, router] of routers.entries()) {
      for (let queue = 0; queue < QUEUES; queue += 1) {
        router.addStaticQueue({
          name: `vpn-${queue}`,
          target: `10.${index}.${queue >> 8}.${queue & 255}`,
          maxLimit: '5M/10M',
          comment: `svc-${index}-${queue}`,
        });
      }
    }
    const setupMs = performance.now() - setupStarted;

    const ports = new Set(routers.map((router) => router.apiPort));
    expect(ports.size).toBe(ROUTERS);

    let slowestMs = 0;
    let totalMs = 0;
    for (const router of routers) {
      const client = await RawClient.loggedIn(router.apiPort);
      const started = performance.now();
      const reply = await client.command(['/queue/simple/print', '=.proplist=.id,name,bytes,comment'], 5000);
      const elapsed = performance.now() - started;
      client.close();
      expect(reply).toHaveLength(QUEUES + 1);
      slowestMs = Math.max(slowestMs, elapsed);
      totalMs += elapsed;
    }
    console.log(
      `scale: setup ${setupMs.toFixed(0)} ms; print of ${QUEUES} queues: mean ${(totalMs / ROUTERS).toFixed(1)} ms, ` +
        `slowest ${slowestMs.toFixed(1)} ms over ${ROUTERS} routers`,
    );
    expect(slowestMs).toBeLessThan(500);
  }, 60_000);
});
