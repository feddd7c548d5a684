import { spawn } from 'node:child_process';
import { RouterOSAPI } from 'node-routeros';
import { RouterOSClient } from 'routeros-client';
import { startRouter, type SimulatedRouter } from '../../simulator';

const within = <T>(promise: Promise<T>, milliseconds: number): Promise<'settled' | 'pending'> =>
  Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), milliseconds)),
  ]);

describe('node-routeros 1.6.9', () => {
  let router: SimulatedRouter;
  let api: RouterOSAPI;

  beforeAll(async () => {
    router = await startRouter({ version: '7.15.3', tls: true, apiUser: 'ops', apiPassword: 'pw' });
    api = new RouterOSAPI({
      host: '127.0.0.1',
      port: router.apiPort,
      user: 'ops',
      password: 'pw',
      timeout: 5,
    });
    await api.connect();
  });
  afterAll(async () => {
    await api.close();
    await router.stop();
  });

  it('adds, prints, sets and removes', async () => {
    expect(await api.write('/ppp/secret/add', ['=name=alice', '=password=1234', '=service=l2tp'])).toEqual([
      { ret: '*1' },
    ]);
    await api.write('/ppp/secret/set', ['=numbers=alice', '=comment=a=b']);
    expect(await api.write('/ppp/secret/print', ['?name=alice', '=.proplist=.id,password,comment'])).toEqual([
      { '.id': '*1', password: '1234', comment: 'a=b' },
    ]);
    await api.write('/ppp/secret/remove', ['=.id=*1']);
    expect(await api.write('/ppp/secret/print')).toEqual([]);
  });

  it('rejects a trapped command with its message', async () => {
    await api.write('/ppp/secret/add', ['=name=dup']);
    await expect(api.write('/ppp/secret/add', ['=name=dup'])).rejects.toThrow(
      'failure: secret with the same name already exists',
    );
    await expect(api.write('/nope/print')).rejects.toThrow('no such command or directory (nope)');
  });

  it('runs many tagged commands concurrently on one connection', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, index) => api.write('/ppp/secret/add', [`=name=c${index}`])),
    );
    const ids = replies.map((reply) => reply[0].ret);
    expect(new Set(ids).size).toBe(50);
    expect(await api.write('/ppp/secret/print', ['?name=c49', '=.proplist=name'])).toEqual([{ name: 'c49' }]);
  });

  it('connects over TLS', async () => {
    const secure = new RouterOSAPI({
      host: '127.0.0.1',
      port: router.tlsPort,
      user: 'ops',
      password: 'pw',
      tls: { rejectUnauthorized: false },
    });
    await secure.connect();
    try {
      expect(await secure.write('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
    } finally {
      await secure.close();
    }
  });

  it('logs in to a router that only does the legacy challenge login', async () => {
    const legacy = await startRouter({ legacyLogin: true });
    const client = new RouterOSAPI({
      host: '127.0.0.1',
      port: legacy.apiPort,
      user: 'admin',
      password: 'admin',
    });
    try {
      await client.connect();
      expect(await client.write('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
      await client.close();
    } finally {
      await legacy.stop();
    }
  });

  it('fails to log in with a wrong password', async () => {
    const client = new RouterOSAPI({ host: '127.0.0.1', port: router.apiPort, user: 'ops', password: 'bad' });
    await expect(client.connect()).rejects.toThrow('Username or password is invalid');
  });

  it('hangs the whole connection on the !empty that 7.18 sends (the known client bug)', async () => {
    const modern = await startRouter({ version: '7.18.2' });
    try {
      const script = `
        const { RouterOSAPI } = require('node-routeros');
        const uncaught = [];
        process.on('uncaughtException', (error) => uncaught.push(error.message));
        const api = new RouterOSAPI({ host: '127.0.0.1', port: ${modern.apiPort}, user: 'admin', password: 'admin' });
        const within = (promise, ms) => Promise.race([promise.then(() => 'settled', () => 'settled'),
          new Promise((resolve) => setTimeout(() => resolve('pending'), ms))]);
        api.connect().then(async () => {
          const nonEmpty = await within(api.write('/system/identity/print'), 1000);
          const empty = await within(api.write('/ppp/secret/print'), 400);
          const later = await within(api.write('/system/identity/print'), 400);
          console.log(JSON.stringify({ nonEmpty, empty, later, uncaught }));
          process.exit(0);
        });`;
      const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd() });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await new Promise((resolve) => child.on('exit', resolve));
      expect(JSON.parse(output)).toEqual({
        nonEmpty: 'settled',
        empty: 'pending',
        later: 'pending',
        uncaught: ['Tried to process unknown reply: !empty'],
      });
    } finally {
      await modern.stop();
    }
  });

  it('never settles a pending call when the connection closes (the other known client bug)', async () => {
    const closing = await startRouter();
    const client = new RouterOSAPI({
      host: '127.0.0.1',
      port: closing.apiPort,
      user: 'admin',
      password: 'admin',
    });
    client.on('error', () => undefined);
    await client.connect();
    closing.setFault({ kind: 'stall' });
    const pending = client.write('/system/identity/print');
    closing.setFault({ kind: 'offline' });
    expect(await within(pending, 300)).toBe('pending');
    await closing.stop();
  });
});

describe('routeros-client', () => {
  let router: SimulatedRouter;
  let client: RouterOSClient;

  beforeAll(async () => {
    router = await startRouter();
    client = new RouterOSClient({
      host: '127.0.0.1',
      port: router.apiPort,
      user: 'admin',
      password: 'admin',
    });
  });
  afterAll(async () => {
    await client.close();
    await router.stop();
  });

  it('works with its habits: print ?.id= after writes, ?-name=, numbers and all-digit values', async () => {
    const api = await client.connect();
    const secrets = api.menu('/ppp/secret');
    const added = await secrets.add({ name: 'alice', password: '1234', service: 'l2tp', disabled: true });
    expect(added).toMatchObject({ id: '*1', name: 'alice', password: 1234, service: 'l2tp', disabled: true });
    await secrets.add({ name: 'bob', password: 'x', comment: 'vip' });

    const updated = await api.menu('/ppp/secret').where('name', 'alice').update({ comment: 'svc-7' });
    expect(updated).toMatchObject({ id: '*1', comment: 'svc-7' });

    await api.menu('/ppp/secret').where('name', 'bob').update({ comment: null });
    const lacking = await api.menu('/ppp/secret').whereEmpty('comment').get();
    expect(lacking.map((secret: { name: string }) => secret.name)).toEqual(['bob']);
    const commented = await api.menu('/ppp/secret').whereHigher('comment').get();
    expect(commented.map((secret: { name: string }) => secret.name)).toEqual(['alice']);

    const enabled = await api.menu('/ppp/secret').enable('*1');
    expect(enabled).toMatchObject({ id: '*1', disabled: false });

    const removed = await api.menu('/ppp/secret').where({ name: 'bob' }).remove();
    expect(removed).toMatchObject({ id: '*2', name: 'bob' });
    const remaining = await api.menu('/ppp/secret').select(['name']).get();
    expect(remaining).toEqual([{ $$path: '/ppp/secret', name: 'alice' }]);
  });
});
