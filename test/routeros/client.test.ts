import {
  RouterAuthenticationError,
  RouterConnectionPool,
  RouterNotFoundError,
  RouterOsClient,
  RouterConnections,
  RouterTrapError,
  RouterUnsupportedError,
  RouterForeignItemError,
  type ItemOwner,
  type SecretSpec,
  type StaticQueueSpec,
} from '../../routeros';
import { plainSpec, rejectionOf, simulatedRouters } from './router-fixture';

const startRouter = simulatedRouters();
const pools = new RouterConnections();
afterAll(() => pools.close());

let routerCount = 0;
async function routerWithClient(options: Parameters<typeof startRouter>[0] = {}) {
  const router = await startRouter(options);
  routerCount += 1;
  return { router, client: pools.client(`router-${routerCount}`, plainSpec(router)) };
}

const secret = (overrides: Partial<SecretSpec> = {}): SecretSpec => ({
  name: 'vpn-1001',
  password: 'first-password',
  service: 'l2tp',
  profile: 'default',
  remoteAddress: '10.8.0.11',
  comment: 'vpnflow service 1001',
  disabled: false,
  ...overrides,
});

/** The fixtures' own items carry one of these comments; anything else on the router is someone else's. */
const ours: ItemOwner = (comment) => comment !== undefined && /^(vpnflow )?service \d+$/.test(comment);

const queue = (overrides: Partial<StaticQueueSpec> = {}): StaticQueueSpec => ({
  name: 'vpnflow-1001',
  target: '10.8.0.11',
  maxLimit: { upload: 5_000_000n, download: 20_000_000n },
  comment: 'vpnflow service 1001',
  ...overrides,
});

describe('RouterOsClient against the simulator over the plain API', () => {
  it('reads identity, version, uptime and board', async () => {
    const { router, client } = await routerWithClient({ identity: 'edge-fra-1', version: '7.18.2' });
    router.advance((2 * 86_400 + 3 * 3_600 + 4 * 60 + 5) * 1000);
    await expect(client.routerInfo()).resolves.toEqual({
      identity: 'edge-fra-1',
      version: '7.18.2',
      channel: 'stable',
      uptimeSeconds: 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5,
      board: expect.any(String),
    });
  });

  it('refuses RouterOS 6 with a non-retryable error', async () => {
    const { client } = await routerWithClient({ version: '6.49.10' });
    const error = await rejectionOf(client.routerInfo());
    expect(error).toBeInstanceOf(RouterUnsupportedError);
    expect(error).toMatchObject({ kind: 'unsupported', retryable: false });
    expect((error as Error).message).toContain('RouterOS 6.49.10 is not supported');
  });

  it('creates a secret, leaves it alone when it matches, and converges drift back to the spec', async () => {
    const { router, client } = await routerWithClient();
    const created = await client.ensureSecret(secret(), ours);
    expect(created.outcome).toBe('created');
    expect(router.secrets()).toEqual([
      expect.objectContaining({
        '.id': created.id,
        name: 'vpn-1001',
        password: 'first-password',
        service: 'l2tp',
        profile: 'default',
        'remote-address': '10.8.0.11',
        comment: 'vpnflow service 1001',
        disabled: 'false',
      }),
    ]);
    await expect(client.ensureSecret(secret(), ours)).resolves.toEqual({
      id: created.id,
      outcome: 'unchanged',
    });

    const changed = secret({ password: 'second-password', remoteAddress: '10.8.0.12', disabled: true });
    await expect(client.ensureSecret(changed, ours)).resolves.toEqual({ id: created.id, outcome: 'updated' });
    expect(router.secrets()[0]).toMatchObject({
      password: 'second-password',
      'remote-address': '10.8.0.12',
      disabled: 'true',
      comment: 'vpnflow service 1001',
    });
    await expect(client.readSecret('vpn-1001')).resolves.toMatchObject({
      id: created.id,
      password: 'second-password',
      remoteAddress: '10.8.0.12',
      disabled: true,
    });
  });

  it('finds its own secret by name, whatever its id, and updates it', async () => {
    const { router, client } = await routerWithClient();
    router.addSecret({ name: 'other', password: 'x' });
    const id = router.addSecret({
      name: 'vpn-1001',
      password: 'stale',
      service: 'pptp',
      comment: 'vpnflow service 1001',
    });
    await expect(client.ensureSecret(secret(), ours)).resolves.toEqual({ id, outcome: 'updated' });
    expect(router.secrets().find((row) => row.name === 'vpn-1001')).toMatchObject({
      password: 'first-password',
      service: 'l2tp',
      comment: 'vpnflow service 1001',
    });
    expect(router.secrets()).toHaveLength(2);
  });

  it('disables, re-enables and removes a secret idempotently', async () => {
    const { router, client } = await routerWithClient();
    await client.ensureSecret(secret(), ours);
    await client.setSecretDisabled('vpn-1001', true);
    expect(router.secrets()[0].disabled).toBe('true');
    await client.setSecretDisabled('vpn-1001', true);
    await client.setSecretDisabled('vpn-1001', false);
    expect(router.secrets()[0].disabled).toBe('false');

    await expect(client.removeSecret('vpn-1001', ours)).resolves.toBe('removed');
    expect(router.secrets()).toEqual([]);
    await expect(client.removeSecret('vpn-1001', ours)).resolves.toBe('absent');
    await expect(client.readSecret('vpn-1001')).resolves.toBeUndefined();
    const missing = await rejectionOf(client.setSecretDisabled('vpn-1001', true));
    expect(missing).toBeInstanceOf(RouterNotFoundError);
    expect(missing).toMatchObject({ kind: 'not-found', retryable: false });
  });

  it('creates, converges and removes a static queue, finding a renamed one by its comment', async () => {
    const { router, client } = await routerWithClient();
    const created = await client.ensureStaticQueue(queue(), ours);
    expect(created.outcome).toBe('created');
    expect(router.queues()).toEqual([
      expect.objectContaining({
        name: 'vpnflow-1001',
        target: '10.8.0.11/32',
        'max-limit': '5000000/20000000',
        comment: 'vpnflow service 1001',
      }),
    ]);
    await expect(client.ensureStaticQueue(queue(), ours)).resolves.toEqual({
      id: created.id,
      outcome: 'unchanged',
    });

    const faster = queue({
      name: 'vpnflow-1001-renamed',
      maxLimit: { upload: 10_000_000n, download: 50_000_000n },
    });
    await expect(client.ensureStaticQueue(faster, ours)).resolves.toEqual({
      id: created.id,
      outcome: 'updated',
    });
    expect(router.queues()).toEqual([
      expect.objectContaining({
        '.id': created.id,
        name: 'vpnflow-1001-renamed',
        'max-limit': '10000000/50000000',
      }),
    ]);
    await expect(client.readStaticQueue('vpnflow-1001-renamed')).resolves.toEqual({
      id: created.id,
      name: 'vpnflow-1001-renamed',
      target: '10.8.0.11/32',
      maxLimit: { upload: 10_000_000n, download: 50_000_000n },
      comment: 'vpnflow service 1001',
      disabled: false,
    });

    await expect(client.removeStaticQueue('vpnflow-1001-renamed', ours)).resolves.toBe('removed');
    await expect(client.removeStaticQueue('vpnflow-1001-renamed', ours)).resolves.toBe('absent');
    expect(router.queues()).toEqual([]);
  });

  it('never changes or removes a same-named secret or queue that is not its own', async () => {
    const { router, client } = await routerWithClient();
    router.addSecret({ name: 'vpn-1001', password: 'alice-own', service: 'pptp', comment: 'hand-made' });
    router.addStaticQueue({
      name: 'vpnflow-1001',
      target: '10.9.9.9/32',
      maxLimit: '1M/2M',
      comment: 'alice',
    });
    const before = { secrets: router.secrets(), queues: router.queues() };

    const secretError = await rejectionOf(client.ensureSecret(secret(), ours));
    expect(secretError).toBeInstanceOf(RouterForeignItemError);
    expect(secretError).toMatchObject({ kind: 'foreign', retryable: false });
    expect((secretError as Error).message).not.toContain('alice-own');
    expect(await rejectionOf(client.ensureStaticQueue(queue(), ours))).toBeInstanceOf(RouterForeignItemError);
    await expect(client.removeSecret('vpn-1001', ours)).resolves.toBe('foreign');
    await expect(client.removeStaticQueue('vpnflow-1001', ours)).resolves.toBe('foreign');
    expect({ secrets: router.secrets(), queues: router.queues() }).toEqual(before);
  });

  it('converges a hand-edited queue of its own (suffixed limits, other target) back to the spec', async () => {
    const { router, client } = await routerWithClient();
    const id = router.addStaticQueue({
      name: 'vpnflow-1001',
      target: '10.8.0.99/32',
      maxLimit: '1M/2M',
      comment: 'vpnflow service 1001',
    });
    await expect(client.ensureStaticQueue(queue(), ours)).resolves.toEqual({ id, outcome: 'updated' });
    expect(router.queues()[0]).toMatchObject({ target: '10.8.0.11/32', 'max-limit': '5000000/20000000' });
    await expect(client.ensureStaticQueue(queue(), ours)).resolves.toEqual({ id, outcome: 'unchanged' });
  });

  it('lists and kicks active sessions', async () => {
    const { router, client } = await routerWithClient();
    await client.ensureSecret(secret(), ours);
    await client.ensureSecret(secret({ name: 'vpn-1002', remoteAddress: '10.8.0.12' }), ours);
    router.connectSession('vpn-1001', 'first-password', { service: 'l2tp', callerId: '198.51.100.7' });
    router.connectSession('vpn-1002', 'first-password', { service: 'l2tp' });
    router.advance(65_000);

    const sessions = await client.listActiveSessions();
    expect(sessions).toHaveLength(2);
    expect(sessions.find((session) => session.name === 'vpn-1001')).toEqual({
      id: expect.stringMatching(/^\*[0-9A-F]+$/),
      name: 'vpn-1001',
      service: 'l2tp',
      callerId: '198.51.100.7',
      address: '10.8.0.11',
      uptimeSeconds: 65,
    });

    await expect(client.kickSessions('vpn-1001')).resolves.toBe(1);
    expect(router.activeSessions().map((session) => session.name)).toEqual(['vpn-1002']);
    await expect(client.kickSessions('vpn-1001')).resolves.toBe(0);
    await expect(client.readSecret('vpn-1001')).resolves.toMatchObject({
      lastDisconnectReason: 'admin-disconnect',
    });
  });

  it('reads every static queue counter in one print, as upload/download bigints', async () => {
    const { router, client } = await routerWithClient();
    router.addProfile({ name: 'limited', rateLimit: '5M/20M' });
    for (let index = 1; index <= 3; index += 1) {
      await client.ensureSecret(
        secret({ name: `vpn-${index}`, profile: 'limited', remoteAddress: `10.8.0.${index}` }),
        ours,
      );
      await client.ensureStaticQueue(
        queue({ name: `vpnflow-${index}`, target: `10.8.0.${index}`, comment: `service ${index}` }),
        ours,
      );
      router.connectSession(`vpn-${index}`, 'first-password', { service: 'l2tp' });
      router.setTrafficRate(`vpn-${index}`, {
        uploadBytesPerSecond: 1_000 * index,
        downloadBytesPerSecond: 10_000 * index,
      });
    }
    router.advance(60_000);

    const counters = await client.readQueueCounters();
    expect(counters.map((counter) => counter.name).sort()).toEqual(['vpnflow-1', 'vpnflow-2', 'vpnflow-3']);
    for (const counter of counters) {
      const printed = router.queues().find((row) => row.name === counter.name)!;
      const [upload, download] = printed.bytes.split('/').map(BigInt);
      expect(counter).toMatchObject({
        uploadBytes: upload,
        downloadBytes: download,
        comment: expect.any(String),
      });
      expect(counter.downloadBytes).toBeGreaterThan(counter.uploadBytes);
      const truth = router.groundTruth(`vpn-${counter.name.slice('vpnflow-'.length)}`);
      expect(counter.uploadBytes).toBe(truth.uploadBytes);
      expect(counter.downloadBytes).toBe(truth.downloadBytes);
    }
  });

  it('reports traps with category and message; validation traps are not retryable', async () => {
    const { router, client } = await routerWithClient();
    const badProfile = await rejectionOf(client.ensureSecret(secret({ profile: 'no-such-profile' }), ours));
    expect(badProfile).toBeInstanceOf(RouterTrapError);
    expect(badProfile).toMatchObject({ kind: 'trap', retryable: false, command: '/ppp/secret/add' });
    expect((badProfile as RouterTrapError).routerMessage).toMatch(/profile/);
    expect((badProfile as Error).message).not.toContain('first-password');

    router.setFault({ kind: 'trap', command: '/ppp/secret/add', message: 'interrupted', category: 2 });
    const interrupted = await rejectionOf(client.ensureSecret(secret(), ours));
    expect(interrupted).toMatchObject({
      kind: 'trap',
      category: 2,
      retryable: true,
      routerMessage: 'interrupted',
    });
    router.setFault(undefined);
    await expect(client.ensureSecret(secret(), ours)).resolves.toMatchObject({ outcome: 'created' });
  });
});

describe('sessions and logins', () => {
  it('answers an empty print on 7.18 (!empty) with [] and keeps the connection for later calls', async () => {
    const router = await startRouter({ version: '7.18.2' });
    const pool = new RouterConnectionPool(plainSpec(router), {
      maxConnections: 1,
      maxInFlightPerConnection: 32,
      reconnectBackoffMs: { initial: 100, max: 100 },
    });
    try {
      const client = new RouterOsClient(pool);
      await expect(pool.call(['/ppp/secret/print'])).resolves.toEqual([]);
      await expect(client.readSecret('nobody')).resolves.toBeUndefined();
      const concurrent = await Promise.all([
        ...Array.from({ length: 20 }, () => pool.call(['/ppp/active/print'])),
        client.ensureSecret(secret(), ours),
        client.routerInfo(),
      ]);
      expect(concurrent.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => []));
      await expect(client.readSecret('vpn-1001')).resolves.toMatchObject({ name: 'vpn-1001' });
      expect(pool.connectionCount).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('logs in to a pre-6.43 challenge router', async () => {
    const router = await startRouter({ legacyLogin: true, apiPassword: 'legacy-secret' });
    const pool = new RouterConnectionPool(plainSpec(router));
    try {
      await expect(new RouterOsClient(pool).routerInfo()).resolves.toMatchObject({ version: '7.18.2' });
    } finally {
      await pool.close();
    }
  });

  it('refuses a wrong password as a non-retryable authentication error without echoing it', async () => {
    const router = await startRouter();
    const pool = new RouterConnectionPool(plainSpec(router, { password: 'wrong-horse-battery' }));
    try {
      const error = await rejectionOf(pool.call(['/system/identity/print']));
      expect(error).toBeInstanceOf(RouterAuthenticationError);
      expect(error).toMatchObject({ kind: 'authentication', retryable: false });
      expect((error as Error).message).toContain('invalid user name or password');
      expect((error as Error).message).not.toContain('wrong-horse-battery');
    } finally {
      await pool.close();
    }
  });
});
