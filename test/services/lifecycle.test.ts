import { parseQueueMaxLimit } from '../../domain/rate-limit';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import type { SimulatedRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { uniqueId } from '../helpers/fixtures';
import { recordHistories } from '../helpers/histories';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import { testPayloadCodec } from '../helpers/stack';

/**
 * Each command end to end, one test each: API → workflow → the simulated router's state → the
 * database. With RECORD_HISTORIES=1 every service's history becomes a fixture of the replay test.
 */
describe('a VPN service from create to terminate', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;
  /** The services to record, by the command their test is about. */
  const recorded: Array<{ command: string; serviceId: number }> = [];

  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness));
  });
  afterAll(async () => {
    for (const { command, serviceId } of recorded) {
      await recordHistories(harness.stack.client, `vpn-service-${command}`, [serviceWorkflowId(serviceId)]);
    }
    await harness?.close();
    await router?.stop();
  });

  const product = {
    pppProfile: 'default',
    pppService: 'l2tp',
    downloadMbps: 10,
    uploadMbps: 2,
    trafficGb: { monthly: 50 },
    commentPrefix: 'acme',
  };
  const createBody = (serviceId: number, overrides: Record<string, unknown> = {}) => ({
    serviceId,
    clientId: 77,
    clientEmail: 'client@example.net',
    routerId,
    username: `user${serviceId}`,
    password: 'first-Passw0rd',
    product,
    billingCycle: 'Monthly',
    ...overrides,
  });
  const secretOf = (name: string) => router.secrets().find((secret) => secret.name === name);
  const queueOf = (name: string) => router.queues().find((queue) => queue.name === name);
  const serviceRow = (serviceId: number) => harness.stack.db('services').where({ id: serviceId }).first();
  const isOnline = (name: string) => router.activeSessions().some((session) => session.name === name);
  const post = (serviceId: number, command: string, body: unknown = {}) =>
    harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/${command}`, body);

  /** A new active service for the test about `command`, with the client connected. */
  const activeService = async (command: string) => {
    const serviceId = uniqueId();
    const username = `user${serviceId}`;
    const created = await harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId));
    expect(created.status).toBe(200);
    recorded.push({ command, serviceId });
    router.connectSession(username, 'first-Passw0rd', { service: 'l2tp', callerId: '198.51.100.7' });
    expect(isOnline(username)).toBe(true);
    return { serviceId, username, created };
  };

  it('creates the secret, the queue, the address, the first grant and the database row', async () => {
    const { serviceId, username, created } = await activeService('create');
    expect(created.body.outcome).toBe('applied');
    expect(created.body.service).toMatchObject({ status: 'active', username, routerPending: false });
    const address = created.body.service.address as string;
    expect(address).toMatch(/^10\.100\.0\.\d+$/);
    expect(secretOf(username)).toMatchObject({
      service: 'l2tp',
      profile: 'default',
      'remote-address': address,
      disabled: 'false',
    });
    expect(secretOf(username)?.comment).toContain(`svc=${serviceId}`);
    expect(queueOf(username)?.target).toBe(`${address}/32`);
    expect(parseQueueMaxLimit(queueOf(username)!['max-limit'])).toEqual({
      uploadBps: 2e6,
      downloadBps: 10e6,
    });
    const stored = await serviceRow(serviceId);
    expect(stored).toMatchObject({ status: 'active', username });
    expect(stored.password_encrypted).not.toContain('first-Passw0rd');
    const ledger = await harness.stack.db('traffic_ledger').where({ service_id: serviceId });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({
      kind: 'cycle_grant',
      delta_bytes: 50n * 10n ** 9n,
      balance_after: 50n * 10n ** 9n,
    });
    await eventually(async () => {
      const byStatus = await harness.stack.client.workflow.count(
        `ServiceId = '${serviceId}' AND ServiceStatus = 'active' AND RouterId = '${routerId}' AND ExecutionStatus = 'Running'`,
      );
      expect(byStatus.count).toBe(1);
    });
  });

  it('creates with the vpn<serviceId> username when WHMCS gives none', async () => {
    const serviceId = uniqueId();
    const created = await harness.whmcs(
      'POST',
      '/v1/whmcs/services',
      createBody(serviceId, { username: null }),
    );
    expect(created.status).toBe(200);
    expect(created.body.service.username).toBe(`vpn${serviceId}`);
    expect(secretOf(`vpn${serviceId}`)).toMatchObject({ disabled: 'false' });
  });

  it('suspends for billing: the secret is disabled and the session ended', async () => {
    const { serviceId, username } = await activeService('suspend');
    const suspended = await post(serviceId, 'suspend', { reason: 'billing' });
    expect(suspended.status).toBe(200);
    expect(suspended.body.service).toMatchObject({ status: 'suspended', suspensionReasons: ['billing'] });
    expect(secretOf(username)?.disabled).toBe('true');
    expect(isOnline(username)).toBe(false);
    expect(() => router.connectSession(username, 'first-Passw0rd', { service: 'l2tp' })).toThrow();
  });

  it('unsuspends only a reason the service is held for', async () => {
    const { serviceId, username } = await activeService('unsuspend');
    expect((await post(serviceId, 'suspend', { reason: 'billing' })).status).toBe(200);
    const notSuspended = await post(serviceId, 'unsuspend', { reason: 'admin' });
    expect(notSuspended.status).toBe(409);
    expect(notSuspended.body.error.message).toBe('cannot unsuspend: service is not suspended for admin');

    const unsuspended = await post(serviceId, 'unsuspend');
    expect(unsuspended.status).toBe(200);
    expect(unsuspended.body.service.status).toBe('active');
    expect(secretOf(username)?.disabled).toBe('false');
    router.connectSession(username, 'first-Passw0rd', { service: 'l2tp' });
  });

  it('changes the password and ends the session, so the old password stops working at once', async () => {
    const { serviceId, username } = await activeService('change-password');
    const changed = await post(serviceId, 'password', { password: 'second-Passw0rd' });
    expect(changed.status).toBe(200);
    expect(isOnline(username)).toBe(false);
    expect(() => router.connectSession(username, 'first-Passw0rd', { service: 'l2tp' })).toThrow();
    router.connectSession(username, 'second-Passw0rd', { service: 'l2tp' });
  });

  it('resets the connection at an administrator’s request', async () => {
    const { serviceId, username } = await activeService('reset-connection');
    const reset = await harness.admin('POST', `/v1/admin/services/${serviceId}/reset-connection`, {});
    expect(reset.status).toBe(200);
    expect(isOnline(username)).toBe(false);
  });

  it('changes the package: the queue’s limits and the secret’s profile', async () => {
    const { serviceId, username } = await activeService('change-package');
    const repackaged = await post(serviceId, 'package', {
      product: { ...product, downloadMbps: 50, uploadMbps: 5, pppProfile: 'default-encryption' },
      billingCycle: 'Monthly',
    });
    expect(repackaged.status).toBe(200);
    expect(parseQueueMaxLimit(queueOf(username)!['max-limit'])).toEqual({
      uploadBps: 5e6,
      downloadBps: 50e6,
    });
    expect(secretOf(username)?.profile).toBe('default-encryption');
  });

  it('credits an invoice’s traffic once, however often WHMCS sends it', async () => {
    const { serviceId, username, created } = await activeService('add-traffic');
    const addons = await Promise.all(
      Array.from({ length: 5 }, () => post(serviceId, 'traffic', { invoiceId: 'INV-1001', gb: '2.5' })),
    );
    expect(addons.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    // The invoice is the update id, so every repeat gets the first call's answer.
    expect(new Set(addons.map((answer) => answer.body.balanceBytes))).toEqual(
      new Set([String(52_500_000_000n)]),
    );
    const addonRows = await harness.stack
      .db('traffic_ledger')
      .where({ service_id: serviceId, kind: 'addon' });
    expect(addonRows).toHaveLength(1);
    expect(addonRows[0]).toMatchObject({ delta_bytes: 2_500_000_000n, invoice_ref: 'INV-1001' });

    const ledgerPage = await harness.admin('GET', `/v1/admin/services/${serviceId}/ledger?kind=addon`);
    expect(ledgerPage.body.entries).toEqual([
      expect.objectContaining({ kind: 'addon', deltaBytes: '2500000000', invoiceRef: 'INV-1001' }),
    ]);
    const listed = await harness.admin('GET', `/v1/admin/services?routerId=${routerId}&username=${username}`);
    expect(listed.body.services).toEqual([
      expect.objectContaining({
        serviceId,
        address: created.body.service.address,
        status: 'active',
        balanceBytes: '52500000000',
      }),
    ]);
    const status = await harness.whmcs('GET', `/v1/whmcs/services/${serviceId}`);
    expect(status.status).toBe(200);
    expect(status.body.balanceBytes).toBe(String(52_500_000_000n));
  });

  it('terminates: secret and queue removed, the workflow completed, no readable password in its history', async () => {
    const { serviceId, username } = await activeService('terminate');
    expect((await post(serviceId, 'password', { password: 'second-Passw0rd' })).status).toBe(200);
    const terminated = await post(serviceId, 'terminate');
    expect(terminated.status).toBe(200);
    expect(terminated.body.service.status).toBe('terminated');
    expect(secretOf(username)).toBeUndefined();
    expect(queueOf(username)).toBeUndefined();
    expect(isOnline(username)).toBe(false);
    const handle = harness.stack.client.workflow.getHandle(serviceWorkflowId(serviceId));
    await handle.result();
    expect((await serviceRow(serviceId)).status).toBe('terminated');
    // The history holds payloads encrypted by the codec; even decrypted, the password is only sealed.
    const history = await handle.fetchHistory();
    const decoded = JSON.stringify(
      await Promise.all(
        history.events!.flatMap((event) =>
          Object.values(event)
            .flatMap(
              (attributes) => (attributes as { input?: { payloads?: unknown[] } })?.input?.payloads ?? [],
            )
            .map((payload) =>
              testPayloadCodec
                .decode([payload as never])
                .then(([plain]) => Buffer.from(plain.data!).toString()),
            ),
        ),
      ),
    );
    expect(decoded).toContain(username);
    expect(decoded).not.toContain('first-Passw0rd');
    expect(decoded).not.toContain('second-Passw0rd');
  });

  it('gives five simultaneous creates one secret, one queue and one address', async () => {
    const serviceId = uniqueId();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => harness.whmcs('POST', '/v1/whmcs/services', createBody(serviceId))),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body.service.address)).size).toBe(1);
    expect(router.secrets().filter((secret) => secret.name === `user${serviceId}`)).toHaveLength(1);
    expect(router.queues().filter((queue) => queue.name === `user${serviceId}`)).toHaveLength(1);
    const held = await harness.stack.db('services').where({ id: serviceId }).whereNotNull('address_id');
    expect(held).toHaveLength(1);
    const grants = await harness.stack.db('traffic_ledger').where({ service_id: serviceId });
    expect(grants).toHaveLength(1);
  });

  it('answers bad input with 400 naming each field, and unknown services with 404', async () => {
    const bad = await harness.whmcs('POST', '/v1/whmcs/services', {
      ...createBody(uniqueId()),
      password: 'pässword',
      billingCycle: 'Fortnightly',
      clientEmail: 'nope',
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.error.details as { field: string }[]).map((detail) => detail.field).sort();
    expect(fields).toEqual(['billingCycle', 'clientEmail', 'password']);

    const missing = await harness.whmcs('POST', `/v1/whmcs/services/${uniqueId()}/suspend`, {});
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('service_not_found');
  });
});
