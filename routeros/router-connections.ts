import { createHash } from 'node:crypto';
import { RouterOsClient } from './client';
import { routerLabel } from './connection';
import { RouterConfigurationError } from './errors';
import { DEFAULT_POOL_LIMITS, type PoolLimits, RouterConnectionPool } from './router-connection-pool';
import { normalizeFingerprint } from './tls';
import type { RouterClient, RouterConnectionSpec } from './types';

interface PooledRouter {
  specDigest: string;
  pool: RouterConnectionPool;
  client: RouterClient;
}

/**
 * The process's connections to every router: one RouterClient per router id, each over its own
 * connection pool. A changed spec (new password, new certificate) replaces the router's pool; `close`
 * ends every connection.
 */
export class RouterConnections {
  private readonly routers = new Map<string, PooledRouter>();
  private readonly limits: PoolLimits;

  constructor(limits: Partial<PoolLimits> = {}) {
    this.limits = { ...DEFAULT_POOL_LIMITS, ...limits };
  }

  client(routerId: string, spec: RouterConnectionSpec): RouterClient {
    validateSpec(spec);
    const specDigest = digestOf(spec);
    const current = this.routers.get(routerId);
    if (current?.specDigest === specDigest) return current.client;
    if (current) void current.pool.close();
    const pool = new RouterConnectionPool(spec, this.limits);
    const pooled = { specDigest, pool, client: new RouterOsClient(pool) };
    this.routers.set(routerId, pooled);
    return pooled.client;
  }

  /** Ends the connections of one router, e.g. when it is deleted or disabled. */
  async closeRouter(routerId: string): Promise<void> {
    const current = this.routers.get(routerId);
    this.routers.delete(routerId);
    await current?.pool.close();
  }

  async close(): Promise<void> {
    const pools = [...this.routers.values()].map((router) => router.pool);
    this.routers.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

/** The cache key; a digest so the password is not kept around in a second readable form. */
function digestOf(spec: RouterConnectionSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

function validateSpec(spec: RouterConnectionSpec): void {
  const label = routerLabel(spec);
  if (!spec.host) throw new RouterConfigurationError(label, 'host is empty');
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) {
    throw new RouterConfigurationError(label, 'port must be 1..65535');
  }
  if (
    spec.tls !== false &&
    spec.tls.fingerprint !== undefined &&
    !normalizeFingerprint(spec.tls.fingerprint)
  ) {
    throw new RouterConfigurationError(label, 'TLS fingerprint must be a SHA-256 digest (64 hex digits)');
  }
  if (spec.timeoutMs !== undefined && !(spec.timeoutMs > 0)) {
    throw new RouterConfigurationError(label, 'timeoutMs must be positive');
  }
}
