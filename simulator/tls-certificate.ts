import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TlsCertificate {
  readonly key: string;
  readonly cert: string;
  /** SHA-256 of the DER certificate, lowercase hex without colons (what clients pin). */
  readonly fingerprint: string;
}

const run = promisify(execFile);

/** Node cannot create X.509 certificates, so the `openssl` binary makes a self-signed one. */
export async function generateSelfSignedCertificate(commonName: string): Promise<TlsCertificate> {
  const directory = await mkdtemp(join(tmpdir(), 'routeros-simulator-'));
  try {
    const keyPath = join(directory, 'key.pem');
    const certPath = join(directory, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      `/CN=${commonName}`,
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ]);
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { key, cert, fingerprint: fingerprintOf(cert) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export function fingerprintOf(certificatePem: string): string {
  return new X509Certificate(certificatePem).fingerprint256.replace(/:/g, '').toLowerCase();
}

let shared: Promise<TlsCertificate> | undefined;

/** One certificate per process keeps hundreds of TLS routers cheap to start. */
export function sharedCertificate(): Promise<TlsCertificate> {
  shared ??= generateSelfSignedCertificate('RouterOS simulator');
  shared.catch(() => (shared = undefined));
  return shared;
}
