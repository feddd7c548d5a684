import { adminRouterSchemas as schemas } from '../../api/routes/admin-routers';
import { createRoutersStore } from '../../store/routers-store';
import { testSecretBox, uniqueId } from '../helpers/fixtures';
import { type AdminApp, startAdminApp } from './admin-app';

const PASSWORD = 'router-api-secret-Zq9';
const FINGERPRINT_HEX = 'ab'.repeat(32);
const FINGERPRINT_COLONS = Array.from({ length: 32 }, () => 'AB').join(':');

function newRouter(overrides: Record<string, unknown> = {}) {
  const id = uniqueId();
  return {
    name: `edge-${id}`,
    apiHost: '192.0.2.10',
    apiUser: 'vpnflow',
    apiPassword: PASSWORD,
    publicHostname: `vpn-${id}.example.net`,
    ...overrides,
  };
}

describe('admin router API', () => {
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp();
  });
  afterAll(() => app.close());

  it('creates a router with TLS on port 8729 by default and never answers its password', async () => {
    const created = await app.call('POST', '/v1/admin/routers', newRouter());
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(PASSWORD);
    const router = schemas.router.parse(created.body);
    expect(router).toMatchObject({
      apiPort: 8729,
      tls: true,
      tlsFingerprint: null,
      capacity: 1000,
      enabled: true,
    });
    expect(created.body).not.toHaveProperty('apiPassword');

    const [row] = await app.db('routers').where({ id: router.id });
    expect(row.api_password_encrypted).toMatch(/^v1:/);
    expect(row.api_password_encrypted).not.toContain(PASSWORD);
    const spec = await createRoutersStore(app.db, testSecretBox).connectionSpec(router.id);
    expect(spec).toEqual({ host: '192.0.2.10', port: 8729, tls: {}, user: 'vpnflow', password: PASSWORD });

    for (const path of ['/v1/admin/routers', `/v1/admin/routers/${router.id}`]) {
      const read = await app.call('GET', path);
      expect(read.status).toBe(200);
      expect(read.text).not.toContain(PASSWORD);
      expect(read.text).not.toContain('v1:');
    }
  });

  it('defaults to port 8728 without TLS and strips colons from a fingerprint', async () => {
    const plain = await app.call('POST', '/v1/admin/routers', newRouter({ tls: false }));
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ apiPort: 8728, tls: false });

    const pinned = await app.call(
      'POST',
      '/v1/admin/routers',
      newRouter({ tlsFingerprint: FINGERPRINT_COLONS }),
    );
    expect(pinned.status).toBe(201);
    expect(pinned.body).toMatchObject({ apiPort: 8729, tls: true, tlsFingerprint: FINGERPRINT_HEX });
    const spec = await createRoutersStore(app.db, testSecretBox).connectionSpec(pinned.body.id);
    expect(spec?.tls).toEqual({ fingerprint: FINGERPRINT_HEX });
  });

  it('answers 400 naming each bad field, unknown ones included', async () => {
    const answer = await app.call('POST', '/v1/admin/routers', {
      name: '',
      apiHost: 'not a host',
      apiPort: 70000,
      tlsFingerprint: 'abc',
      apiUser: 'vpnflow',
      apiPassword: PASSWORD,
      publicHostname: 'vpn.example.net',
      capacty: 5,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    const fields = answer.body.error.details.map((detail: { field: string }) => detail.field);
    expect(fields.sort()).toEqual(['apiHost', 'apiPort', 'capacty', 'name', 'tlsFingerprint']);
    expect(answer.text).not.toContain(PASSWORD);
  });

  it('answers 400 for a missing or non-object body and for a bad id, never 500', async () => {
    const missing = await app.call('POST', '/v1/admin/routers');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'body', message: expect.any(String) }]);

    const array = await app.call('POST', '/v1/admin/routers', [1, 2]);
    expect(array.status).toBe(400);

    const badId = await app.call('GET', '/v1/admin/routers/abc');
    expect(badId.status).toBe(400);
    expect(badId.body.error.details[0].field).toBe('id');
  });

  it('refuses a fingerprint without TLS', async () => {
    const answer = await app.call(
      'POST',
      '/v1/admin/routers',
      newRouter({ tls: false, tlsFingerprint: FINGERPRINT_HEX }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      { field: 'tlsFingerprint', message: 'A fingerprint needs tls: true' },
    ]);
  });

  it('answers 409 for a duplicate name, on create and on rename', async () => {
    const first = newRouter();
    expect((await app.call('POST', '/v1/admin/routers', first)).status).toBe(201);
    const again = await app.call('POST', '/v1/admin/routers', newRouter({ name: first.name }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('router_name_taken');

    const other = await app.call('POST', '/v1/admin/routers', newRouter());
    const rename = await app.call('PATCH', `/v1/admin/routers/${other.body.id}`, { name: first.name });
    expect(rename.status).toBe(409);
  });

  it('answers 404 for unknown routers on every route', async () => {
    const unknown = 9_000_000_000_000;
    const answers = await Promise.all([
      app.call('GET', `/v1/admin/routers/${unknown}`),
      app.call('PATCH', `/v1/admin/routers/${unknown}`, { capacity: 5 }),
      app.call('POST', `/v1/admin/routers/${unknown}/disable`),
      app.call('POST', `/v1/admin/routers/${unknown}/enable`),
      app.call('POST', `/v1/admin/routers/${unknown}/test`),
      app.call('GET', `/v1/admin/routers/${unknown}/addresses`),
      app.call('POST', `/v1/admin/routers/${unknown}/addresses`, { addresses: ['10.0.0.1'] }),
      app.call('DELETE', `/v1/admin/routers/${unknown}/addresses`, { addresses: ['10.0.0.1'] }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('router_not_found');
    }
  });

  it('changes only the given fields, re-seals a new password and moves a default port with TLS', async () => {
    const created = await app.call('POST', '/v1/admin/routers', newRouter());
    const id = created.body.id;
    const [before] = await app.db('routers').where({ id });

    const renamed = await app.call('PATCH', `/v1/admin/routers/${id}`, {
      capacity: 50,
      apiPassword: 'new-secret-77',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ ...created.body, capacity: 50, updatedAt: expect.any(String) });
    expect(renamed.text).not.toContain('new-secret-77');
    const store = createRoutersStore(app.db, testSecretBox);
    expect((await store.connectionSpec(id))?.password).toBe('new-secret-77');
    const [after] = await app.db('routers').where({ id });
    expect(after.api_password_encrypted).not.toBe(before.api_password_encrypted);

    const plain = await app.call('PATCH', `/v1/admin/routers/${id}`, { tls: false });
    expect(plain.body).toMatchObject({ tls: false, apiPort: 8728 });
    const custom = await app.call('PATCH', `/v1/admin/routers/${id}`, { apiPort: 18728 });
    expect(custom.body.apiPort).toBe(18728);
    const tlsAgain = await app.call('PATCH', `/v1/admin/routers/${id}`, { tls: true });
    expect(tlsAgain.body).toMatchObject({ tls: true, apiPort: 18728 });
  });

  it('refuses to turn TLS off under a pinned fingerprint unless the pin is cleared too', async () => {
    const created = await app.call(
      'POST',
      '/v1/admin/routers',
      newRouter({ tlsFingerprint: FINGERPRINT_HEX }),
    );
    const id = created.body.id;
    const refused = await app.call('PATCH', `/v1/admin/routers/${id}`, { tls: false });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].field).toBe('tlsFingerprint');
    const cleared = await app.call('PATCH', `/v1/admin/routers/${id}`, { tls: false, tlsFingerprint: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ tls: false, tlsFingerprint: null, apiPort: 8728 });
  });

  it('disables and enables a router', async () => {
    const created = await app.call('POST', '/v1/admin/routers', newRouter());
    const disabled = await app.call('POST', `/v1/admin/routers/${created.body.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    expect((await app.call('GET', `/v1/admin/routers/${created.body.id}`)).body.enabled).toBe(false);
    const enabled = await app.call('POST', `/v1/admin/routers/${created.body.id}/enable`);
    expect(enabled.body.enabled).toBe(true);
  });

  it('lists routers in creation order', async () => {
    const a = await app.call('POST', '/v1/admin/routers', newRouter());
    const b = await app.call('POST', '/v1/admin/routers', newRouter());
    const list = await app.call('GET', '/v1/admin/routers');
    const ids = list.body.routers.map((router: { id: number }) => router.id);
    expect(ids.indexOf(a.body.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.body.id)).toBeGreaterThan(ids.indexOf(a.body.id));
  });

  it('refuses callers without the admin token in the one error shape', async () => {
    const answer = await app.call('GET', '/v1/admin/routers', undefined, 'wrong-token');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: { code: 'unauthorized', message: 'A valid admin bearer token is required' },
    });
  });
});

describe('admin router API in production', () => {
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp({ production: true });
  });
  afterAll(() => app.close());

  it('accepts the plain API only with an explicit allowPlainApi, which it keeps', async () => {
    const refused = await app.call('POST', '/v1/admin/routers', newRouter({ tls: false }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      { field: 'allowPlainApi', message: expect.stringContaining('in clear') },
    ]);
    const accepted = await app.call(
      'POST',
      '/v1/admin/routers',
      newRouter({ tls: false, allowPlainApi: true }),
    );
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ tls: false, allowPlainApi: true });

    const tlsRouter = await app.call('POST', '/v1/admin/routers', newRouter());
    const toPlain = await app.call('PATCH', `/v1/admin/routers/${tlsRouter.body.id}`, { tls: false });
    expect(toPlain.status).toBe(400);
    const withConsent = await app.call('PATCH', `/v1/admin/routers/${tlsRouter.body.id}`, {
      tls: false,
      allowPlainApi: true,
    });
    expect(withConsent.status).toBe(200);
  });
});
