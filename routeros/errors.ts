/**
 * Every failure the adapter reports is a RouterError with a `kind` and a `retryable` flag, so that
 * activities can turn non-retryable ones into non-retryable ApplicationFailures. Messages name the
 * router and the command path only: attribute words can carry passwords and never appear here.
 */

export type RouterErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'authentication'
  | 'tls'
  | 'trap'
  | 'fatal'
  | 'protocol'
  | 'not-found'
  | 'unsupported'
  | 'configuration'
  | 'foreign';

export abstract class RouterError extends Error {
  abstract readonly kind: RouterErrorKind;
  abstract readonly retryable: boolean;

  constructor(
    readonly router: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${router}: ${message}`, options);
    this.name = new.target.name;
  }
}

/** The router cannot be reached or dropped the connection: refused, reset, closed mid-reply, down. */
export class RouterUnreachableError extends RouterError {
  readonly kind = 'unreachable';
  readonly retryable = true;
}

/** The router accepted the connection but did not answer in time. */
export class RouterTimeoutError extends RouterError {
  readonly kind = 'timeout';
  readonly retryable = true;
}

/** Wrong API user or password: retrying only risks a lockout. */
export class RouterAuthenticationError extends RouterError {
  readonly kind = 'authentication';
  readonly retryable = false;
}

/** The router's certificate does not match the pinned fingerprint or the configured CA. */
export class RouterTlsError extends RouterError {
  readonly kind = 'tls';
  readonly retryable = false;
}

/**
 * A `!trap` reply. Category 2 (interrupted) is transient; argument and item failures (0, 1, 4 and
 * traps without a category) mean the request itself is wrong and repeating it cannot help.
 */
export class RouterTrapError extends RouterError {
  readonly kind = 'trap';
  readonly retryable: boolean;

  constructor(
    router: string,
    readonly command: string,
    readonly routerMessage: string,
    readonly category: number | undefined,
  ) {
    const categoryText = category === undefined ? '' : ` (category ${category})`;
    super(router, `${command} failed: ${routerMessage}${categoryText}`);
    this.retryable = category === 2;
  }
}

/** The router sent `!fatal` and closed the session. */
export class RouterFatalError extends RouterError {
  readonly kind = 'fatal';
  readonly retryable = true;
}

/** The router sent something this client cannot understand; the connection is dropped. */
export class RouterProtocolError extends RouterError {
  readonly kind = 'protocol';
  readonly retryable = true;
}

/** The item an operation needs (a secret to disable, ...) does not exist on the router. */
export class RouterNotFoundError extends RouterError {
  readonly kind = 'not-found';
  readonly retryable = false;
}

/** The router runs a RouterOS this adapter does not support (anything before 7). */
export class RouterUnsupportedError extends RouterError {
  readonly kind = 'unsupported';
  readonly retryable = false;
}

/**
 * The item an operation would change or remove carries a name the caller asked for but was not made
 * by the caller (its comment does not carry the caller's tag): it is left exactly as it is.
 */
export class RouterForeignItemError extends RouterError {
  readonly kind = 'foreign';
  readonly retryable = false;
}

/** The connection spec itself is invalid (a malformed fingerprint, a bad port). */
export class RouterConfigurationError extends RouterError {
  readonly kind = 'configuration';
  readonly retryable = false;
}

export function isRouterError(error: unknown): error is RouterError {
  return error instanceof RouterError;
}

const CERTIFICATE_ERROR_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
]);

/** Classifies an error raised by the socket (not by RouterOS) while connecting or talking. */
export function classifySocketError(router: string, error: Error & { code?: string }): RouterError {
  const code = error.code ?? '';
  if (CERTIFICATE_ERROR_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
    return new RouterTlsError(router, `TLS handshake refused: ${error.message}`, { cause: error });
  }
  return new RouterUnreachableError(router, `connection failed: ${code || error.message}`, { cause: error });
}
