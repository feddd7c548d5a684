/**
 * Failures of what the API stands on rather than of the request: Temporal or PostgreSQL unreachable or
 * too slow. They pass, so the caller hears 503 and tries again (the WHMCS module does, from its outbox),
 * instead of a 500 that says the API is broken.
 */

export const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/** The gRPC status of a Temporal client error: on the error itself, or on its cause (`ServiceError`). */
export function grpcCodeOf(error: unknown): number | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'number') return code;
    current = cause;
  }
  return undefined;
}

/** Connection refused or reset, a server shutting down or out of connections. */
const DATABASE_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '53300']);

/** The 503 answer for an unavailable dependency; undefined for any other failure. */
export function unavailableAnswer(error: unknown): { code: string; message: string } | undefined {
  const grpcCode = grpcCodeOf(error);
  if (grpcCode === GRPC_UNAVAILABLE || grpcCode === GRPC_DEADLINE_EXCEEDED) {
    return { code: 'temporal_unavailable', message: 'Temporal did not answer in time; retry the request' };
  }
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  // KnexTimeoutError: no pooled connection came free in time.
  if (name === 'KnexTimeoutError' || (typeof code === 'string' && DATABASE_UNAVAILABLE_CODES.has(code))) {
    return { code: 'database_unavailable', message: 'The database is not reachable; retry the request' };
  }
  return undefined;
}
