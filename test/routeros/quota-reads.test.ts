import { RouterConnections, RouterProtocolError, type RouterCaller, RouterOsClient } from '../../routeros';
import { eventually } from '../helpers/eventually';
import { plainSpec, rejectionOf, simulatedRouters } from './router-fixture';

const startRouter = simulatedRouters();
const pools = new RouterConnections();
afterAll(() => pools.close());

/** A router with four accounts online, each with its static queue, and one dynamic queue of a session. */
async function routerWithAccounts() {
  const router = await startRouter({ seed: 11 });
  router.addProfile({ name: 'shaped', rateLimit: '1M/4M' });
  const names = ['vpn-a', 'vpn-b', 'vpn-c', 'vpn-d'];
  names.forEach((name, index) => {
    const address = `10.9.0.${index + 2}`;
    router.addSecret({ name, password: 'pw', profile: 'shaped', remoteAddress: address });
    router.addStaticQueue({ name, target: `${address}/32`, maxLimit: '2M/8M', comment: `svc=${index}` });
    router.connectSession(name, 'pw');
  });
  router.advance(4_321);
  return { router, client: pools.client(`quota-${router.apiPort}`, plainSpec(router)) };
}

describe('the reads of close watching', () => {
  it('reads the named static queues in one print, to the byte, and nothing else', async () => {
    const { router, client } = await routerWithAccounts();
    const before = router.commandsReceived()['/queue/simple/print'] ?? 0;
    const counters = await client.readQueueCountersOf(['vpn-d', 'vpn-b', 'nobody']);
    expect(router.commandsReceived()['/queue/simple/print']).toBe(before + 1);
    expect(counters.map((queue) => queue.name).sort()).toEqual(['vpn-b', 'vpn-d']);
    for (const queue of counters) {
      expect({ uploadBytes: queue.uploadBytes, downloadBytes: queue.downloadBytes }).toEqual(
        router.groundTruth(queue.name),
      );
      expect(queue.comment).toMatch(/^svc=/);
    }
    // A session's dynamic queue is named after its interface, never one of these names; still, only
    // static queues answer, as in the whole-router read.
    expect(await client.readQueueCountersOf(['<l2tp-vpn-a>'])).toEqual([]);
    expect(await client.readQueueCountersOf(['vpn-a'])).toHaveLength(1);
    expect(await client.readQueueCountersOf([])).toEqual([]);
  });

  it('reads the uptime alone, in whole seconds', async () => {
    const { router, client } = await routerWithAccounts();
    router.advance(3_600_000);
    await expect(client.readUptimeSeconds()).resolves.toBe(3_604);
    router.reboot();
    // The reboot drops the pooled connection; the call after it opens a new one.
    await eventually(() => expect(client.readUptimeSeconds()).resolves.toBe(0));
  });

  it('refuses an uptime it cannot read', async () => {
    const caller: RouterCaller = { label: 'fake:8728', call: async () => [{ uptime: 'soon' }] };
    const error = await rejectionOf(new RouterOsClient(caller).readUptimeSeconds());
    expect(error).toBeInstanceOf(RouterProtocolError);
    expect((error as Error).message).toContain('unreadable uptime "soon"');
  });
});
