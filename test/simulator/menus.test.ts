import { startRouter, type SimulatedRouter } from '../../simulator';
import { attributesOf, RawClient, rowsOf } from './raw-client';

let router: SimulatedRouter;
let client: RawClient;

beforeEach(async () => {
  router = await startRouter({ identity: 'edge-1', bootTime: Date.UTC(2025, 0, 2, 3, 4, 5) });
  client = await RawClient.loggedIn(router.apiPort);
});
afterEach(async () => {
  client.close();
  await router.stop();
});

const run = (...words: string[]) => client.command(words);
const retOf = async (...words: string[]) => {
  const reply = await run(...words);
  expect(reply).toHaveLength(1);
  return attributesOf(reply[0]).ret;
};

describe('/ppp/secret', () => {
  it('adds with !done =ret=*ID, uppercase hex ids that are never reused', async () => {
    const ids: string[] = [];
    for (let index = 0; index < 11; index += 1) ids.push(await retOf('/ppp/secret/add', `=name=u${index}`));
    expect(ids[9]).toBe('*A');
    expect(ids[10]).toBe('*B');
    await run('/ppp/secret/remove', '=.id=*B');
    expect(await retOf('/ppp/secret/add', '=name=again')).toBe('*C');
  });

  it('prints defaults, omits unset properties and prints booleans as true/false', async () => {
    await run('/ppp/secret/add', '=name=alice', '=password=pw', '=disabled=yes');
    expect(rowsOf(await run('/ppp/secret/print'))).toEqual([
      {
        '.id': '*1',
        name: 'alice',
        service: 'any',
        password: 'pw',
        profile: 'default',
        'limit-bytes-in': '0',
        'limit-bytes-out': '0',
        disabled: 'true',
      },
    ]);
    await run('/ppp/secret/set', '=numbers=alice', '=disabled=false', '=comment=c');
    expect(rowsOf(await run('/ppp/secret/print', '=.proplist=disabled,comment'))).toEqual([
      { disabled: 'false', comment: 'c' },
    ]);
  });

  it('validates service, profile and duplicate names with RouterOS traps', async () => {
    expect(await run('/ppp/secret/add', '=name=a', '=service=carrier-pigeon')).toEqual([
      ['!trap', '=category=1', '=message=input does not match any value of service'],
      ['!done'],
    ]);
    expect(await run('/ppp/secret/add', '=name=a', '=profile=nope')).toEqual([
      ['!trap', '=category=1', '=message=input does not match any value of profile'],
      ['!done'],
    ]);
    await run('/ppp/secret/add', '=name=a');
    expect(await run('/ppp/secret/add', '=name=a')).toEqual([
      ['!trap', '=message=failure: secret with the same name already exists'],
      ['!done'],
    ]);
    await run('/ppp/secret/add', '=name=b');
    expect((await run('/ppp/secret/set', '=.id=*2', '=name=a'))[0]).toEqual([
      '!trap',
      '=message=failure: secret with the same name already exists',
    ]);
    expect((await run('/ppp/secret/add', '=name=c', '=limit-bytes-in=-5'))[0][0]).toBe('!trap');
    for (const service of ['any', 'async', 'l2tp', 'ovpn', 'pppoe', 'pptp', 'sstp']) {
      expect((await run('/ppp/secret/set', '=numbers=a', `=service=${service}`))[0]).toEqual(['!done']);
    }
  });

  it('selects by comma-separated numbers (ids or names) and traps unknown items', async () => {
    for (const name of ['a', 'b', 'c']) await run('/ppp/secret/add', `=name=${name}`);
    await run('/ppp/secret/disable', '=numbers=*1,c');
    expect(rowsOf(await run('/ppp/secret/print', '?disabled=true', '=.proplist=name'))).toEqual([
      { name: 'a' },
      { name: 'c' },
    ]);
    await run('/ppp/secret/enable', '=numbers=a');
    expect(await run('/ppp/secret/remove', '=numbers=b,zzz')).toEqual([
      ['!trap', '=message=no such item'],
      ['!done'],
    ]);
    await run('/ppp/secret/remove', '=numbers=b,c');
    expect(rowsOf(await run('/ppp/secret/print', '=.proplist=name,disabled'))).toEqual([
      { name: 'a', disabled: 'false' },
    ]);
  });

  it('filters print with queries and counts with count-only', async () => {
    await run('/ppp/secret/add', '=name=a', '=comment=x');
    await run('/ppp/secret/add', '=name=b');
    await run('/ppp/secret/add', '=name=c', '=service=l2tp');
    expect(rowsOf(await run('/ppp/secret/print', '?>comment=', '=.proplist=name'))).toEqual([{ name: 'a' }]);
    expect(rowsOf(await run('/ppp/secret/print', '?-comment=', '=.proplist=name'))).toEqual([
      { name: 'b' },
      { name: 'c' },
    ]);
    expect(
      rowsOf(await run('/ppp/secret/print', '?service=l2tp', '?name=a', '?#|', '=.proplist=.id')),
    ).toEqual([{ '.id': '*1' }, { '.id': '*3' }]);
    expect(await run('/ppp/secret/print', '=count-only=', '?service=any')).toEqual([['!done', '=ret=2']]);
  });
});

describe('/ppp/profile', () => {
  it('has the built-ins, which cannot be removed', async () => {
    expect(rowsOf(await run('/ppp/profile/print', '=.proplist=.id,name,default'))).toEqual([
      { '.id': '*0', name: 'default', default: 'true' },
      { '.id': '*FFFFFFFE', name: 'default-encryption', default: 'true' },
    ]);
    expect(await run('/ppp/profile/remove', '=numbers=default')).toEqual([
      ['!trap', '=message=failure: can not remove default profile'],
      ['!done'],
    ]);
  });

  it('adds, sets and removes profiles with a rate-limit', async () => {
    expect(await retOf('/ppp/profile/add', '=name=p10', '=rate-limit=5M/10M')).toBe('*1');
    await run('/ppp/profile/set', '=numbers=p10', '=rate-limit=2M/4M', '=only-one=yes');
    expect(rowsOf(await run('/ppp/profile/print', '?name=p10', '=.proplist=rate-limit,only-one'))).toEqual([
      { 'rate-limit': '2M/4M', 'only-one': 'yes' },
    ]);
    expect((await run('/ppp/profile/add', '=name=bad', '=rate-limit=fast'))[0][0]).toBe('!trap');
    await run('/ppp/profile/remove', '=.id=*1');
    expect(rowsOf(await run('/ppp/profile/print'))).toHaveLength(2);
  });
});

describe('/ppp/active and /interface', () => {
  beforeEach(async () => {
    await run('/ppp/profile/add', '=name=p', '=rate-limit=1M/2M');
    await run('/ppp/secret/add', '=name=alice', '=password=pw', '=profile=p', '=remote-address=10.0.0.5');
  });

  it('shows a session, its dynamic interface and queue; remove kicks it and updates the secret', async () => {
    router.connectSession('alice', 'pw', { service: 'l2tp', callerId: '198.51.100.7' });
    router.advance(125_000);
    const [active] = rowsOf(await run('/ppp/active/print'));
    expect(active).toMatchObject({
      '.id': '*1',
      name: 'alice',
      service: 'l2tp',
      'caller-id': '198.51.100.7',
      address: '10.0.0.5',
      uptime: '2m5s',
      radius: 'false',
    });
    const [netInterface] = rowsOf(await run('/interface/print', '?dynamic=true'));
    expect(netInterface).toMatchObject({ name: '<l2tp-alice>', type: 'l2tp-in', running: 'true' });
    expect(BigInt(netInterface['rx-byte'])).toBeGreaterThan(0n);
    const [queue] = rowsOf(await run('/queue/simple/print', '?dynamic=true'));
    expect(queue).toMatchObject({
      name: '<l2tp-alice>',
      target: '<l2tp-alice>',
      'max-limit': '1000000/2000000',
    });

    expect(await run('/ppp/active/remove', '=.id=*1')).toEqual([['!done']]);
    expect(await run('/ppp/active/print')).toEqual([['!empty'], ['!done']]);
    expect(rowsOf(await run('/interface/print', '?dynamic=true'))).toEqual([]);
    expect(rowsOf(await run('/queue/simple/print'))).toEqual([]);
    const [secret] = rowsOf(await run('/ppp/secret/print'));
    expect(secret).toMatchObject({
      'last-logged-out': '2025-01-02 03:06:10',
      'last-caller-id': '198.51.100.7',
      'last-disconnect-reason': 'admin-disconnect',
    });
  });

  it('resets interface counters', async () => {
    router.connectSession('alice', 'pw');
    router.advance(1000);
    await run('/interface/reset-counters', '=numbers=<l2tp-alice>,ether1');
    const rows = rowsOf(await run('/interface/print', '=.proplist=name,rx-byte,tx-byte,rx-packet'));
    expect(rows).toEqual([
      { name: 'ether1', 'rx-byte': '0', 'tx-byte': '0', 'rx-packet': '0' },
      { name: 'lo', 'rx-byte': '0', 'tx-byte': '0', 'rx-packet': '0' },
      { name: '<l2tp-alice>', 'rx-byte': '0', 'tx-byte': '0', 'rx-packet': '0' },
    ]);
  });

  it('prints old-style dates before 7.10', async () => {
    const old = await startRouter({ version: '7.9.2', bootTime: Date.UTC(2023, 6, 14, 10, 11, 12) });
    const oldClient = await RawClient.loggedIn(old.apiPort);
    try {
      const [ether] = rowsOf(await oldClient.command(['/interface/print', '?name=ether1']));
      expect(ether['last-link-up-time']).toBe('jul/14/2023 10:11:12');
    } finally {
      oldClient.close();
      await old.stop();
    }
  });
});

describe('/queue/simple', () => {
  it('adds, sets, prints, resets and removes static queues', async () => {
    expect(await retOf('/queue/simple/add', '=name=q1', '=target=10.0.0.5', '=max-limit=5M/10M')).toBe('*1');
    const [queue] = rowsOf(await run('/queue/simple/print'));
    expect(queue).toMatchObject({
      '.id': '*1',
      name: 'q1',
      target: '10.0.0.5/32',
      'max-limit': '5000000/10000000',
      bytes: '0/0',
      packets: '0/0',
      dynamic: 'false',
      disabled: 'false',
    });
    await run('/queue/simple/set', '=numbers=q1', '=max-limit=2M', '=comment=svc-1');
    expect(rowsOf(await run('/queue/simple/print', '?comment=svc-1', '=.proplist=max-limit'))).toEqual([
      { 'max-limit': '2000000/2000000' },
    ]);
    expect((await run('/queue/simple/add', '=name=q1', '=target=10.0.0.6'))[0][0]).toBe('!trap');
    expect((await run('/queue/simple/add', '=name=q2', '=target=not-an-address'))[0]).toEqual([
      '!trap',
      '=category=1',
      '=message=input does not match any value of target',
    ]);
    await run('/ppp/secret/add', '=name=a', '=password=p', '=remote-address=10.0.0.5');
    router.connectSession('a', 'p');
    router.advance(2000);
    expect(rowsOf(await run('/queue/simple/print', '=.proplist=bytes'))[0].bytes).not.toBe('0/0');
    await run('/queue/simple/reset-counters', '=numbers=*1');
    expect(rowsOf(await run('/queue/simple/print', '=.proplist=bytes,packets'))).toEqual([
      { bytes: '0/0', packets: '0/0' },
    ]);
    await run('/queue/simple/remove', '=numbers=q1');
    expect(await run('/queue/simple/print')).toEqual([['!empty'], ['!done']]);
  });
});

describe('/system and /ip/pool', () => {
  it('prints resource with uptime and version, identity and packages', async () => {
    router.advance(((2 * 24 + 20) * 3600 + 12 * 60 + 20) * 1000);
    const [resource] = rowsOf(await run('/system/resource/print'));
    expect(resource).toMatchObject({
      uptime: '2d20h12m20s',
      version: '7.18.2 (stable)',
      'board-name': 'CHR',
    });
    expect(rowsOf(await run('/system/resource/getall', '=.proplist=uptime'))).toEqual([
      { uptime: '2d20h12m20s' },
    ]);
    router.advance(7 * 24 * 3600 * 1000);
    expect(rowsOf(await run('/system/resource/print', '=.proplist=uptime'))).toEqual([
      { uptime: '1w2d20h12m20s' },
    ]);
    expect(rowsOf(await run('/system/identity/print'))).toEqual([{ name: 'edge-1' }]);
    await run('/system/identity/set', '=name=edge-2');
    expect(router.identity).toBe('edge-2');
    expect(rowsOf(await run('/system/package/print'))).toEqual([
      {
        '.id': '*1',
        name: 'routeros',
        version: '7.18.2',
        'build-time': '2025-02-27 10:34:01',
        disabled: 'false',
      },
    ]);
  });

  it('manages pools and hands out pool addresses to sessions', async () => {
    expect(await retOf('/ip/pool/add', '=name=vpn', '=ranges=10.8.0.10-10.8.0.11')).toBe('*1');
    await run('/ppp/profile/add', '=name=pooled', '=remote-address=vpn');
    await run('/ppp/secret/add', '=name=a', '=password=p', '=profile=pooled');
    await run('/ppp/secret/add', '=name=b', '=password=p', '=profile=pooled');
    router.connectSession('a', 'p');
    router.connectSession('b', 'p');
    expect(router.activeSessions().map((session) => session.address)).toEqual(['10.8.0.10', '10.8.0.11']);
    expect(rowsOf(await run('/ip/pool/print'))).toEqual([
      { '.id': '*1', name: 'vpn', ranges: '10.8.0.10-10.8.0.11' },
    ]);
    expect((await run('/ip/pool/add', '=name=bad', '=ranges=nonsense'))[0][0]).toBe('!trap');
    await run('/ip/pool/remove', '=numbers=vpn');
    expect(await run('/ip/pool/print')).toEqual([['!empty'], ['!done']]);
  });
});
