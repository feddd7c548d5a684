import { connect } from 'node:net';
import { startRouter, TrapCategory, type SimulatedRouter } from '../../simulator';
import { RawClient, toWire } from './raw-client';

let router: SimulatedRouter;
const clients: RawClient[] = [];
const loggedIn = async () => {
  const client = await RawClient.loggedIn(router.apiPort);
  clients.push(client);
  return client;
};

beforeEach(async () => {
  router = await startRouter({ tls: true });
  router.addSecret({ name: 'alice', password: 'pw' });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await router.stop();
});

const refused = (port: number) =>
  new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });

describe('faults', () => {
  it('offline: drops connections, refuses new ones, and comes back on the same ports', async () => {
    const client = await loggedIn();
    const { apiPort, tlsPort } = router;
    router.setFault({ kind: 'offline' });
    await client.waitForClose();
    expect(await refused(apiPort)).toBe('ECONNREFUSED');
    expect(await refused(tlsPort as number)).toBe('ECONNREFUSED');
    router.setFault(undefined);
    await router.whenListening();
    expect(router.apiPort).toBe(apiPort);
    expect(router.tlsPort).toBe(tlsPort);
    const again = await loggedIn();
    expect(await again.command(['/system/identity/print'])).toEqual([['!re', '=name=MikroTik'], ['!done']]);
  });

  it('stall: reads commands but never answers them, login included', async () => {
    const client = await loggedIn();
    router.setFault({ kind: 'stall' });
    await expect(client.command(['/ppp/secret/print'], 200)).rejects.toThrow('timed out');
    const fresh = await RawClient.connect(router.apiPort);
    clients.push(fresh);
    await expect(fresh.command(['/login', '=name=admin', '=password=admin'], 200)).rejects.toThrow(
      'timed out',
    );
    router.setFault(undefined);
    expect(await client.command(['#'])).toEqual([['!done']]);
  });

  it('drop-mid-reply: writes part of the reply, then destroys the connection', async () => {
    const client = await loggedIn();
    const start = client.received.length;
    await client.command(['/ppp/secret/print', '.tag=1']);
    const full = Buffer.concat(client.received.slice(start));

    const victim = await loggedIn();
    router.setFault({ kind: 'drop-mid-reply' });
    const before = victim.received.length;
    await victim.send(['/ppp/secret/print', '.tag=1']);
    await victim.waitForClose();
    const partial = Buffer.concat(victim.received.slice(before));
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(full.length);
    expect(full.subarray(0, partial.length).equals(partial)).toBe(true);
  });

  it('stall-mid-reply: writes part of the reply, then nothing more, and keeps the connection open', async () => {
    const client = await loggedIn();
    const start = client.received.length;
    await client.command(['/ppp/secret/print', '.tag=1']);
    const full = Buffer.concat(client.received.slice(start));

    const victim = await loggedIn();
    router.setFault({ kind: 'stall-mid-reply' });
    const before = victim.received.length;
    await victim.send(['/ppp/secret/print', '.tag=1']);
    await victim.waitFor(() => victim.received.length > before);
    const partial = Buffer.concat(victim.received.slice(before));
    expect(partial.length).toBeLessThan(full.length);
    expect(full.subarray(0, partial.length).equals(partial)).toBe(true);
    router.setFault(undefined);
    // The session stays silent even after the fault is gone: only the client's timeout ends the wait.
    await expect(victim.command(['#'], 300)).rejects.toThrow('timed out');
    expect(victim.closed).toBe(false);
    expect(Buffer.concat(victim.received.slice(before))).toEqual(partial);
  });

  it('fatal: sends !fatal with the reason and closes', async () => {
    const client = await loggedIn();
    router.setFault({ kind: 'fatal', reason: 'out of memory' });
    const start = client.received.length;
    expect(await client.command(['/ppp/secret/print', '.tag=9'])).toEqual([['!fatal', 'out of memory']]);
    await client.waitForClose();
    expect(Buffer.concat(client.received.slice(start))).toEqual(toWire(['!fatal', 'out of memory']));
  });

  it('latency: every reply leaves later, in order', async () => {
    const client = await loggedIn();
    router.setFault({ kind: 'latency', milliseconds: 150 });
    const started = Date.now();
    await client.send(['#', '.tag=a']);
    await client.send(['/system/identity/print', '.tag=b']);
    await client.waitFor(() => client.sentences.length === 4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(client.sentences.slice(1).map((sentence) => sentence.at(-1))).toEqual([
      '.tag=a',
      '.tag=b',
      '.tag=b',
    ]);
  });

  it('trap: answers the chosen command path with the injected trap and runs nothing', async () => {
    const client = await loggedIn();
    router.setFault({
      kind: 'trap',
      command: '/ppp/secret/add',
      category: TrapCategory.GeneralFailure,
      message: 'failure: could not write config',
    });
    expect(await client.command(['/ppp/secret/add', '=name=bob'])).toEqual([
      ['!trap', '=category=4', '=message=failure: could not write config'],
      ['!done'],
    ]);
    expect(router.secrets().map((secret) => secret.name)).toEqual(['alice']);
    expect(await client.command(['/ppp/secret/print', '=.proplist=name'])).toEqual([
      ['!re', '=name=alice'],
      ['!done'],
    ]);
  });

  it('fails to start on a port already in use, leaving the running router alone', async () => {
    await expect(startRouter({ apiPort: router.apiPort })).rejects.toThrow('EADDRINUSE');
    const client = await loggedIn();
    expect(await client.command(['#'])).toEqual([['!done']]);
  });
});
