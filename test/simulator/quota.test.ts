import { startRouter, type SimulatedRouter } from '../../simulator';
import { RawClient, rowsOf } from './raw-client';

/*
 * What vpnflow's quota enforcement relies on (docs/routeros-quotas.md), modelled to the byte: a print of
 * chosen static queues by name in one command, counters that equal what the client moved at the moment
 * they are read, a cut that stops traffic at once, and an uptime that says when counters restarted.
 */

let router: SimulatedRouter;
let client: RawClient;
const ACCOUNTS = ['ann', 'ben', 'cid', 'dot'];

beforeEach(async () => {
  router = await startRouter({ seed: 7 });
  ACCOUNTS.forEach((name, index) => {
    const address = `10.0.0.${index + 10}`;
    router.addSecret({ name, password: 'pw', service: 'l2tp', remoteAddress: address });
    router.addStaticQueue({ name, target: `${address}/32`, maxLimit: '2M/8M', comment: `svc=${index + 1}` });
    router.connectSession(name, 'pw');
    // Faster than the queue allows: the max-limit decides what moves.
    router.setTrafficRate(name, { uploadBytesPerSecond: 10_000_000, downloadBytesPerSecond: 10_000_000 });
  });
  client = await RawClient.loggedIn(router.apiPort);
});
afterEach(async () => {
  client.close();
  await router.stop();
});

const countersOf = async (names: string[]) => {
  const words = names.map((name) => `?name=${name}`);
  if (names.length > 1) words.push(`?#${'|'.repeat(names.length - 1)}`);
  const rows = rowsOf(await client.command(['/queue/simple/print', ...words, '=.proplist=name,bytes']));
  return new Map(
    rows.map((row) => {
      const [upload, download] = row.bytes.split('/').map(BigInt);
      return [row.name, { uploadBytes: upload, downloadBytes: download }];
    }),
  );
};

describe('what quota enforcement reads and writes on the router', () => {
  it('prints only the named queues in one command, each equal to its ground truth at that instant', async () => {
    const steps = [1, 7, 250, 999, 1_000, 12_345];
    for (const step of steps) {
      router.advance(step);
      const counters = await countersOf(['ben', 'dot', 'ann']);
      expect([...counters.keys()].sort()).toEqual(['ann', 'ben', 'dot']);
      for (const [name, bytes] of counters) expect(bytes).toEqual(router.groundTruth(name));
    }
    // 2M/8M caps every account at exactly 250,000 bytes a second up and 1,000,000 down.
    const elapsed = BigInt(steps.reduce((sum, step) => sum + step, 0));
    expect(router.groundTruth('ann')).toEqual({
      uploadBytes: (elapsed * 250_000n) / 1000n,
      downloadBytes: (elapsed * 1_000_000n) / 1000n,
    });
    expect(await countersOf(['cid'])).toEqual(new Map([['cid', router.groundTruth('cid')]]));
  });

  it('stops an account at the byte it is cut: disabled secret, session removed, counters kept', async () => {
    router.advance(3_000);
    const [session] = rowsOf(await client.command(['/ppp/active/print', '?name=ben', '=.proplist=.id']));
    const [secret] = rowsOf(await client.command(['/ppp/secret/print', '?name=ben', '=.proplist=.id']));
    await client.command(['/ppp/secret/set', `=.id=${secret['.id']}`, '=disabled=yes']);
    await client.command(['/ppp/active/remove', `=.id=${session['.id']}`]);
    const atCut = router.groundTruth('ben');
    router.advance(60_000);
    expect(router.groundTruth('ben')).toEqual(atCut);
    expect(await countersOf(['ben'])).toEqual(new Map([['ben', atCut]]));
    expect(() => router.connectSession('ben', 'pw')).toThrow('secret disabled');
    expect(router.groundTruth('ann').downloadBytes).toBe(63_000_000n);
  });

  it('restarts uptime and every queue counter at a reboot, so a reading says which boot it belongs to', async () => {
    const uptime = async () =>
      rowsOf(await client.command(['/system/resource/print', '=.proplist=uptime']))[0].uptime;
    router.advance(125_000);
    expect(await uptime()).toBe('2m5s');
    router.reboot();
    await client.waitForClose();
    client = await RawClient.loggedIn(router.apiPort);
    expect(await uptime()).toBe('0s');
    expect(await countersOf(ACCOUNTS)).toEqual(
      new Map(ACCOUNTS.map((name) => [name, { uploadBytes: 0n, downloadBytes: 0n }])),
    );
    router.connectSession('ann', 'pw');
    router.advance(2_000);
    expect((await countersOf(['ann'])).get('ann')?.downloadBytes).toBe(2_000_000n);
  });

  it('counts the commands logged-in sessions send, by path', async () => {
    const before = router.commandsReceived();
    await countersOf(['ann', 'ben']);
    await countersOf(['cid']);
    await client.command(['#']);
    await client.command(['/system/resource/print']);
    const after = router.commandsReceived();
    expect(after['/queue/simple/print']).toBe((before['/queue/simple/print'] ?? 0) + 2);
    expect(after['/system/resource/print']).toBe((before['/system/resource/print'] ?? 0) + 1);
    expect(after['#']).toBeUndefined();
    expect(after['/login']).toBeUndefined();
  });
});
