import { generateSelfSignedCertificate, startRouter, type SimulatedRouter } from '../../simulator';
import { RawClient } from './raw-client';

describe('api-ssl', () => {
  let router: SimulatedRouter;
  beforeAll(async () => {
    router = await startRouter({ tls: true });
  });
  afterAll(() => router.stop());

  it('serves the API over TLS on its own port with a pinnable fingerprint', async () => {
    expect(router.tlsPort).toBeGreaterThan(0);
    expect(router.tlsPort).not.toBe(router.apiPort);
    expect(router.tlsFingerprint).toMatch(/^[0-9a-f]{64}$/);
    const client = await RawClient.connectTls(router.tlsPort as number, router.tlsFingerprint);
    try {
      expect(await client.command(['/login', '=name=admin', '=password=admin', '.tag=1'])).toEqual([
        ['!done', '.tag=1'],
      ]);
      expect(await client.command(['/system/identity/print'])).toEqual([
        ['!re', '=name=MikroTik'],
        ['!done'],
      ]);
    } finally {
      client.close();
    }
  });

  it('fails the handshake when the pinned fingerprint differs', async () => {
    await expect(RawClient.connectTls(router.tlsPort as number, '00'.repeat(32))).rejects.toThrow(
      'is not the pinned one',
    );
  });

  it('serves a given certificate instead of the generated one', async () => {
    const certificate = await generateSelfSignedCertificate('edge-7');
    const custom = await startRouter({ tls: true, tlsCertificate: certificate });
    try {
      expect(custom.tlsFingerprint).toBe(certificate.fingerprint);
      expect(custom.tlsFingerprint).not.toBe(router.tlsFingerprint);
      const client = await RawClient.connectTls(custom.tlsPort as number, certificate.fingerprint);
      client.close();
    } finally {
      await custom.stop();
    }
  });

  it('has no TLS port unless asked', async () => {
    const plain = await startRouter();
    expect(plain.tlsPort).toBeUndefined();
    expect(plain.tlsFingerprint).toBeUndefined();
    await plain.stop();
  });
});

describe('certificate fingerprint', () => {
  it('is the SHA-256 that openssl reports for the DER certificate', async () => {
    const certificate = await generateSelfSignedCertificate('check');
    const { execFileSync } = await import('node:child_process');
    const output = execFileSync('openssl', ['x509', '-noout', '-fingerprint', '-sha256'], {
      input: certificate.cert,
    });
    expect(output.toString().trim().split('=')[1].replace(/:/g, '').toLowerCase()).toBe(
      certificate.fingerprint,
    );
  });
});
