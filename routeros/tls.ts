import type { ConnectionOptions, PeerCertificate } from 'node:tls';
import type { RouterConnectionSpec } from './types';

/** `AB:CD:...` or `abcd...` to 64 lowercase hex digits; undefined when it is not a SHA-256 digest. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text.replace(/:/g, '').trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/**
 * TLS options for node-routeros's Connector. A pinned certificate is usually self-signed, so chain
 * validation is off in that mode and the pin is checked (before anything is written) by
 * `certificateMatchesPin`; with a CA the chain and the host name are verified as usual.
 */
export function tlsOptionsFor(spec: RouterConnectionSpec): ConnectionOptions | undefined {
  if (spec.tls === false) return undefined;
  if (spec.tls.ca !== undefined) return { ca: spec.tls.ca, rejectUnauthorized: true };
  if (spec.tls.fingerprint !== undefined) return { rejectUnauthorized: false };
  return { rejectUnauthorized: true };
}

export function certificateMatchesPin(certificate: PeerCertificate | undefined, pin: string): boolean {
  if (!certificate?.fingerprint256) return false;
  return normalizeFingerprint(certificate.fingerprint256) === normalizeFingerprint(pin);
}
