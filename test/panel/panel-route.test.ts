import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { get, type IncomingMessage, type Server } from 'node:http';
import { createApp } from '../../api/app';
import { issueClientToken } from '../../api/client-tokens';
import { loadPanelAssets } from '../../api/routes/panel';
import { buildPanel, writePanel } from '../../panel/build';
import { PANEL_SCRIPT, PANEL_VERSION } from '../../panel/version';
import { insertRouter, insertService } from '../helpers/fixtures';
import { TEST_ADMIN_TOKEN, TEST_WHMCS_SECRET, testApiDeps } from '../helpers/harness';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

const WHMCS_SITE = 'https://billing.example.net';
const OTHER_SITE = 'https://evil.example.org';

describe('the widget and CORS for the WHMCS client area', () => {
  let stack: ConnectedTestStack;
  let server: Server;
  let baseUrl: string;
  let token: string;
  let serviceId: number;

  beforeAll(async () => {
    stack = await connectTestStack();
    server = createApp(testApiDeps(stack, 'unused-task-queue', { clientPanelOrigins: [WHMCS_SITE] })).listen(
      0,
      '127.0.0.1',
    );
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    serviceId = await insertService(stack.db, await insertRouter(stack.db), { whmcs_client_id: 77 });
    token = issueClientToken(TEST_WHMCS_SECRET, {
      serviceId,
      clientId: 77,
      expiresAt: Math.floor(Date.now() / 1000) + 600,
    });
  });
  afterAll(async () => {
    server?.close();
    await stack?.close();
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${baseUrl}${path}`, init);
  const revalidate = (path: string, etag: string) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      get(`${baseUrl}${path}`, { headers: { 'if-none-match': etag } }, (response) => {
        response.resume();
        resolve(response);
      }).on('error', reject);
    });
  const scriptPath = `/panel/${PANEL_VERSION}/${PANEL_SCRIPT}`;

  it('serves the widget built from its sources, with an ETag that answers 304 while it is unchanged', async () => {
    const first = await call(scriptPath);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(Buffer.from(await first.arrayBuffer())).toEqual(
      Buffer.from((await buildPanel()).get(PANEL_SCRIPT) ?? new Uint8Array()),
    );
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    // As a browser revalidates: fetch() would add Cache-Control: no-cache, a forced reload.
    const again = await revalidate(scriptPath, etag);
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(etag);
  });

  it('serves, without the sources, the files `npm run build` wrote', async () => {
    const built = mkdtempSync(path.join(tmpdir(), 'vpnflow-panel-'));
    try {
      await writePanel(built);
      expect(await loadPanelAssets(path.join(built, 'no-sources.ts'), built)).toEqual(
        new Map([...(await buildPanel())].map(([name, contents]) => [name, Buffer.from(contents)])),
      );
    } finally {
      rmSync(built, { recursive: true, force: true });
    }
  });

  it('answers 404 for another version or file', async () => {
    expect((await call(`/panel/0/${PANEL_SCRIPT}`)).status).toBe(404);
    const missing = await call(`/panel/${PANEL_VERSION}/secrets.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'No such panel file' } });
  });

  it('lets the listed WHMCS site read /panel and /v1/client, errors included, with GET only', async () => {
    const fromWhmcs = { origin: WHMCS_SITE };
    const script = await call(scriptPath, { headers: fromWhmcs });
    expect(script.headers.get('access-control-allow-origin')).toBe(WHMCS_SITE);
    expect(script.headers.get('vary')).toMatch(/Origin/);

    const live = await call(`/v1/client/services/${serviceId}/live`, {
      headers: { ...fromWhmcs, authorization: `Bearer ${token}` },
    });
    expect(live.status).toBe(200);
    expect(live.headers.get('access-control-allow-origin')).toBe(WHMCS_SITE);
    // The widget must be able to read why it was refused, to stop polling with an expired token.
    const refused = await call(`/v1/client/services/${serviceId}/live`, {
      headers: { ...fromWhmcs, authorization: 'Bearer expired.token' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(WHMCS_SITE);

    const preflight = await call(`/v1/client/services/${serviceId}/live`, {
      method: 'OPTIONS',
      headers: {
        ...fromWhmcs,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(
      Object.fromEntries([...preflight.headers].filter(([name]) => name.startsWith('access-control-'))),
    ).toEqual({
      'access-control-allow-origin': WHMCS_SITE,
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'Authorization',
      'access-control-max-age': '600',
    });
    const postPreflight = await call(`/v1/client/services/${serviceId}/live`, {
      method: 'OPTIONS',
      headers: { ...fromWhmcs, 'access-control-request-method': 'POST' },
    });
    expect(postPreflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('gives another site, and every other route, no CORS at all, and never *', async () => {
    const other = await call(scriptPath, { headers: { origin: OTHER_SITE } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPreflight = await call(`/v1/client/services/${serviceId}/live`, {
      method: 'OPTIONS',
      headers: { origin: OTHER_SITE, 'access-control-request-method': 'GET' },
    });
    expect([...otherPreflight.headers].filter(([name]) => name.startsWith('access-control-'))).toEqual([]);

    for (const path of ['/v1/admin/routers', `/v1/whmcs/services/${serviceId}`, '/healthz']) {
      const answer = await call(path, {
        headers: { origin: WHMCS_SITE, authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect({ path, cors: answer.headers.get('access-control-allow-origin') }).toEqual({ path, cors: null });
    }
  });
});
