import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startRouter } from '../../simulator';
import { createControlServer } from '../../simulator/control-server';
import { populateDemoRouter } from '../../simulator/demo';
import { RawClient, rowsOf } from './raw-client';

const call = async (base: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(base + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('HTTP control endpoint', () => {
  it('lists routers, connects and kicks sessions, advances, reboots, sets faults and reports ground truth', async () => {
    const router = await startRouter({ identity: 'ctl', seed: 5 });
    const accounts = populateDemoRouter(router, { routerIndex: 0, accounts: 4, seed: 5 });
    const server = createControlServer([{ router, accounts }]);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const listed = await call(base, 'GET', '/routers');
      expect(listed.body).toEqual([
        expect.objectContaining({ index: 0, identity: 'ctl', apiPort: router.apiPort, apiUser: 'admin' }),
      ]);

      for (const account of accounts) router.kickSession(account.name);
      const [first] = accounts;
      expect(
        (await call(base, 'POST', '/routers/0/sessions', { name: first.name, password: 'bad' })).status,
      ).toBe(409);
      const connected = await call(base, 'POST', '/routers/0/sessions', first);
      expect(connected).toEqual({ status: 200, body: { connected: first.name } });
      expect(router.activeSessions().map((session) => session.name)).toEqual([first.name]);

      expect((await call(base, 'POST', '/advance', { milliseconds: 3_000 })).status).toBe(200);
      expect(router.uptime).toBe(3_000);
      const truth = await call(base, 'GET', '/routers/0/ground-truth');
      const expected = router.groundTruth(first.name);
      expect(truth.body[first.name]).toEqual({
        uploadBytes: String(expected.uploadBytes),
        downloadBytes: String(expected.downloadBytes),
      });
      expect(expected.uploadBytes).toBeGreaterThan(0n);

      expect((await call(base, 'DELETE', `/routers/0/sessions/${first.name}`)).status).toBe(200);
      expect((await call(base, 'DELETE', `/routers/0/sessions/${first.name}`)).status).toBe(404);

      const fault = { kind: 'trap', command: '/ppp/secret/print', message: 'failure: busy', category: 4 };
      expect((await call(base, 'PUT', '/routers/0/fault', fault)).body).toEqual({ fault });
      expect(router.fault).toEqual(fault);
      expect((await call(base, 'PUT', '/routers/0/fault', { kind: 'latency' })).status).toBe(400);
      expect((await call(base, 'DELETE', '/routers/0/fault')).status).toBe(200);
      expect(router.fault).toBeUndefined();

      await call(base, 'POST', '/routers/0/advance', { milliseconds: 1_000 });
      expect(router.uptime).toBe(4_000);
      await call(base, 'POST', '/routers/0/reboot');
      expect(router.uptime).toBe(0);
      expect((await call(base, 'GET', '/routers/7')).status).toBe(404);
    } finally {
      server.close();
      await router.stop();
    }
  });
});

describe('CLI', () => {
  it('starts demo routers with moving traffic and stops cleanly on SIGTERM', async () => {
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const child = spawn(
      tsx,
      [
        'simulator/cli.ts',
        '--routers',
        '2',
        '--accounts',
        '6',
        '--base-port',
        '0',
        '--control-port',
        '0',
      ].concat(['--tick-ms', '50', '--speed', '20', '--no-churn']),
      { cwd: process.cwd() },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!/control: (http:\S+)\/routers/.test(output) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const base = /control: (http:\S+)\/routers/.exec(output)?.[1];
      expect(base).toBeDefined();
      const listed = (await call(base as string, 'GET', '/routers')).body as unknown as Array<{
        apiPort: number;
        tlsFingerprint: string;
        accounts: unknown[];
      }>;
      expect(listed).toHaveLength(2);
      expect(listed[0].accounts).toHaveLength(6);
      expect(listed[0].tlsFingerprint).toMatch(/^[0-9a-f]{64}$/);

      const client = await RawClient.loggedIn(listed[1].apiPort);
      const queues = rowsOf(
        await client.command(['/queue/simple/print', '?dynamic=false', '=.proplist=name,bytes']),
      );
      client.close();
      expect(queues.map((queue) => queue.name)).toEqual(
        ['user001', 'user002', 'user003', 'user004', 'user005', 'user006'].map((name) => `vpn-${name}`),
      );
      const uptime = async () =>
        Number(((await call(base as string, 'GET', '/routers/0')).body as { uptimeMs: number }).uptimeMs);
      const before = await uptime();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await uptime()).toBeGreaterThan(before);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: stopping');
  }, 45_000);
});
