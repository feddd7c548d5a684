import { generateSelfSignedCertificate } from '../../simulator';
import { RouterConnectionPool, RouterOsClient, RouterTlsError } from '../../routeros';
import { rejectionOf, simulatedRouters, tlsSpec } from './router-fixture';

const startRouter = simulatedRouters();

async function withPool<T>(
  spec: Parameters<typeof tlsSpec>[1] & object,
  router: Awaited<ReturnType<typeof startRouter>>,
  use: (pool: RouterConnectionPool) => Promise<T>,
) {
  const pool = new RouterConnectionPool(tlsSpec(router, spec));
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}

describe('api-ssl', () => {
  it('talks to a router whose certificate matches the pinned fingerprint', async () => {
    const router = await startRouter({ tls: true, identity: 'pinned' });
    await withPool({}, router, async (pool) => {
      await expect(new RouterOsClient(pool).routerInfo()).resolves.toMatchObject({ identity: 'pinned' });
    });
    const colonned = router.tlsFingerprint!.toUpperCase().match(/../g)!.join(':');
    await withPool({ tls: { fingerprint: colonned } }, router, async (pool) => {
      await expect(pool.call(['/system/identity/print'])).resolves.toEqual([{ name: 'pinned' }]);
    });
  });

  it('refuses a certificate with another fingerprint before logging in, and does not retry it', async () => {
    const router = await startRouter({ tls: true });
    await withPool({ tls: { fingerprint: 'ab'.repeat(32) } }, router, async (pool) => {
      const error = await rejectionOf(pool.call(['/system/identity/print']));
      expect(error).toBeInstanceOf(RouterTlsError);
      expect(error).toMatchObject({ kind: 'tls', retryable: false });
      expect((error as Error).message).toContain('does not match the pinned SHA-256 fingerprint');
      const started = Date.now();
      await expect(pool.call(['/system/identity/print'])).rejects.toBe(error);
      expect(Date.now() - started).toBeLessThan(100);
    });
  });

  it('refuses a self-signed certificate when neither a pin nor its CA is configured', async () => {
    const router = await startRouter({ tls: true });
    await withPool({ tls: {} }, router, async (pool) => {
      const error = await rejectionOf(pool.call(['/system/identity/print']));
      expect(error).toBeInstanceOf(RouterTlsError);
      expect(error).toMatchObject({ retryable: false });
    });
  });

  it('verifies the chain and host name against a configured CA', async () => {
    const certificate = await generateSelfSignedCertificate('localhost');
    const router = await startRouter({ tls: true, tlsCertificate: certificate, identity: 'by-ca' });
    await withPool({ host: 'localhost', tls: { ca: certificate.cert } }, router, async (pool) => {
      await expect(pool.call(['/system/identity/print'])).resolves.toEqual([{ name: 'by-ca' }]);
    });
    await withPool({ host: '127.0.0.1', tls: { ca: certificate.cert } }, router, async (pool) => {
      await expect(pool.call(['/system/identity/print'])).rejects.toBeInstanceOf(RouterTlsError);
    });
  });
});
