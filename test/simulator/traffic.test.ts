import { SessionRefused, startRouter, type SimulatedRouter } from '../../simulator';
import { RawClient, rowsOf } from './raw-client';

let router: SimulatedRouter;
let client: RawClient;

beforeEach(async () => {
  router = await startRouter({ seed: 42 });
  router.addProfile({ name: 'shaped', rateLimit: '8M/16M' });
  router.addSecret({
    name: 'alice',
    password: 'pw',
    service: 'l2tp',
    profile: 'shaped',
    remoteAddress: '10.0.0.5',
  });
  router.addSecret({ name: 'bob', password: 'pw', remoteAddress: '10.0.0.6' });
  router.addStaticQueue({ name: 'vpn-alice', target: '10.0.0.5/32', comment: 'svc-1' });
  router.addStaticQueue({ name: 'vpn-bob', target: '10.0.0.6', maxLimit: '800k/1600k', comment: 'svc-2' });
  router.addStaticQueue({ name: 'all-vpn', target: '10.0.0.0/24' });
  client = await RawClient.loggedIn(router.apiPort);
});
afterEach(async () => {
  client.close();
  await router.stop();
});

const pair = (text: string) => text.split('/').map(BigInt) as [bigint, bigint];
const queueBytes = async (name: string) =>
  pair(rowsOf(await client.command(['/queue/simple/print', `?name=${name}`, '=.proplist=bytes']))[0].bytes);
const interfaceBytes = async (name: string) => {
  const [row] = rowsOf(
    await client.command(['/interface/print', `?name=${name}`, '=.proplist=rx-byte,tx-byte']),
  );
  return [BigInt(row['rx-byte']), BigInt(row['tx-byte'])] as [bigint, bigint];
};

describe('traffic model', () => {
  it('keeps ground truth equal to what the counters showed, across kicks and reconnects', async () => {
    let seenUpload = 0n;
    let seenDownload = 0n;
    for (let round = 0; round < 4; round += 1) {
      router.connectSession('alice', 'pw', { callerId: `192.0.2.${round}` });
      router.advance(1_234 + round * 777);
      const [rx, tx] = await interfaceBytes('<l2tp-alice>');
      expect(await queueBytes('<l2tp-alice>')).toEqual([rx, tx]);
      seenUpload += rx;
      seenDownload += tx;
      if (round % 2 === 0) await client.command(['/ppp/active/remove', '=numbers=alice']);
      else expect(router.kickSession('alice')).toBe(true);
      expect(router.activeSessions()).toEqual([]);
    }
    const truth = router.groundTruth('alice');
    expect(truth).toEqual({ uploadBytes: seenUpload, downloadBytes: seenDownload });
    expect(truth.uploadBytes).toBeGreaterThan(0n);
    expect(await queueBytes('vpn-alice')).toEqual([seenUpload, seenDownload]);
    const [secret] = rowsOf(await client.command(['/ppp/secret/print', '?name=alice']));
    expect(secret).toMatchObject({
      'last-caller-id': '192.0.2.3',
      'last-disconnect-reason': 'admin-disconnect',
    });
  });

  it('counts a session in every static queue whose target holds its address', async () => {
    router.connectSession('alice', 'pw');
    router.connectSession('bob', 'pw');
    router.advance(10_000);
    const alice = router.groundTruth('alice');
    const bob = router.groundTruth('bob');
    expect(await queueBytes('vpn-alice')).toEqual([alice.uploadBytes, alice.downloadBytes]);
    expect(await queueBytes('vpn-bob')).toEqual([bob.uploadBytes, bob.downloadBytes]);
    expect(await queueBytes('all-vpn')).toEqual([
      alice.uploadBytes + bob.uploadBytes,
      alice.downloadBytes + bob.downloadBytes,
    ]);
    const [etherRx, etherTx] = await interfaceBytes('ether1');
    expect([etherTx, etherRx]).toEqual([
      alice.uploadBytes + bob.uploadBytes,
      alice.downloadBytes + bob.downloadBytes,
    ]);
  });

  it('moves exactly rate x time, whatever the step size', () => {
    router.setTrafficRate('bob', { uploadBytesPerSecond: 1_001, downloadBytesPerSecond: 3 });
    router.connectSession('bob', 'pw');
    for (let step = 0; step < 1_500; step += 1) router.advance(1);
    router.advance(1_500);
    expect(router.groundTruth('bob')).toEqual({ uploadBytes: 3_003n, downloadBytes: 9n });
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    const twin = await startRouter({ seed: 42 });
    const other = await startRouter({ seed: 43 });
    try {
      expect(twin.trafficRate('alice')).toEqual(router.trafficRate('alice'));
      expect(other.trafficRate('alice')).not.toEqual(router.trafficRate('alice'));
    } finally {
      await twin.stop();
      await other.stop();
    }
  });

  it('shapes traffic to the profile rate-limit and the static queue max-limit', () => {
    router.setTrafficRate('alice', { uploadBytesPerSecond: 10_000_000, downloadBytesPerSecond: 10_000_000 });
    router.setTrafficRate('bob', { uploadBytesPerSecond: 10_000_000, downloadBytesPerSecond: 10_000_000 });
    router.connectSession('alice', 'pw');
    router.connectSession('bob', 'pw');
    router.advance(2_000);
    expect(router.groundTruth('alice')).toEqual({ uploadBytes: 2_000_000n, downloadBytes: 4_000_000n });
    expect(router.groundTruth('bob')).toEqual({ uploadBytes: 200_000n, downloadBytes: 400_000n });
  });

  it('disconnects a session when it reaches limit-bytes-in or limit-bytes-out', async () => {
    router.addSecret({ name: 'capped', password: 'pw', remoteAddress: '10.0.0.7', limitBytesOut: 5_000n });
    router.setTrafficRate('capped', { uploadBytesPerSecond: 100, downloadBytesPerSecond: 1_000 });
    router.connectSession('capped', 'pw');
    expect(rowsOf(await client.command(['/ppp/active/print', '=.proplist=limit-bytes-out']))).toEqual([
      { 'limit-bytes-out': '5000' },
    ]);
    router.advance(4_000);
    expect(router.activeSessions()).toHaveLength(1);
    router.advance(4_000);
    expect(router.activeSessions()).toHaveLength(0);
    expect(router.groundTruth('capped')).toEqual({ uploadBytes: 500n, downloadBytes: 5_000n });
    const [secret] = rowsOf(await client.command(['/ppp/secret/print', '?name=capped']));
    expect(secret['last-disconnect-reason']).toBe('limit-reached');
  });

  it('records a client hang-up on the secret', async () => {
    router.connectSession('bob', 'pw', { callerId: '192.0.2.9' });
    router.advance(1_000);
    expect(router.disconnectSession('bob')).toBe(true);
    expect(router.disconnectSession('bob')).toBe(false);
    const [secret] = rowsOf(await client.command(['/ppp/secret/print', '?name=bob']));
    expect(secret).toMatchObject({
      'last-caller-id': '192.0.2.9',
      'last-disconnect-reason': 'peer-disconnect',
    });
  });

  it('refuses sessions like a router does', () => {
    router.addSecret({ name: 'off', password: 'pw', disabled: true });
    router.addSecret({ name: 'pptp-only', password: 'pw', service: 'pptp' });
    const reasonOf = (name: string, password: string, service?: string) => {
      try {
        router.connectSession(name, password, { service });
        return 'connected';
      } catch (error) {
        expect(error).toBeInstanceOf(SessionRefused);
        return (error as SessionRefused).reason;
      }
    };
    expect(reasonOf('ghost', 'pw')).toBe('no such secret');
    expect(reasonOf('off', 'pw')).toBe('secret disabled');
    expect(reasonOf('alice', 'wrong')).toBe('wrong password');
    expect(reasonOf('pptp-only', 'pw', 'l2tp')).toBe('service mismatch');
    expect(reasonOf('pptp-only', 'pw', 'pptp')).toBe('connected');
    expect(reasonOf('bob', 'pw', 'sstp')).toBe('connected');
    expect(reasonOf('bob', 'pw', 'sstp')).toBe('already connected');
    expect(router.activeSessions().map((session) => [session.name, session.service])).toEqual([
      ['pptp-only', 'pptp'],
      ['bob', 'sstp'],
    ]);
  });

  it('reboot resets sessions, counters and uptime, and keeps configuration', async () => {
    await client.command(['/ip/pool/add', '=name=spare', '=ranges=10.9.0.1-10.9.0.9']);
    router.connectSession('alice', 'pw');
    router.advance(60_000);
    const truth = router.groundTruth('alice');
    const secretsBefore = router.secrets();
    const queuesBefore = router.queues().filter((queue) => queue.dynamic === 'false');

    router.reboot();
    await client.waitForClose();
    client = await RawClient.loggedIn(router.apiPort);

    expect(router.activeSessions()).toEqual([]);
    expect(await client.command(['/ppp/active/print'])).toEqual([['!empty'], ['!done']]);
    expect(rowsOf(await client.command(['/system/resource/print', '=.proplist=uptime']))).toEqual([
      { uptime: '0s' },
    ]);
    for (const name of ['vpn-alice', 'vpn-bob', 'all-vpn']) expect(await queueBytes(name)).toEqual([0n, 0n]);
    expect(await interfaceBytes('ether1')).toEqual([0n, 0n]);
    expect(router.secrets()).toEqual(secretsBefore);
    expect(router.queues()).toEqual(
      queuesBefore.map((queue) => ({ ...queue, bytes: '0/0', packets: '0/0', rate: '0/0' })),
    );
    expect(
      rowsOf(await client.command(['/ppp/profile/print', '?name=shaped', '=.proplist=rate-limit'])),
    ).toEqual([{ 'rate-limit': '8M/16M' }]);
    expect(rowsOf(await client.command(['/ip/pool/print', '=.proplist=name']))).toEqual([{ name: 'spare' }]);
    expect(router.groundTruth('alice')).toEqual(truth);

    router.connectSession('alice', 'pw');
    router.advance(1_000);
    expect(await queueBytes('vpn-alice')).toEqual(await interfaceBytes('<l2tp-alice>'));
  });
});
