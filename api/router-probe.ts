import { z } from 'zod';
import {
  DEFAULT_POOL_LIMITS,
  isRouterError,
  RouterConnectionPool,
  RouterOsClient,
  type RouterClient,
  type RouterConnectionSpec,
} from '../routeros';

/** A client for one-off use (the connection test); `close` ends its connections. */
export type RouterClientFactory = (spec: RouterConnectionSpec) => {
  client: RouterClient;
  close(): Promise<void>;
};

/**
 * Fresh connections for every test, never a shared pool: a pool remembers a failed connect for its
 * backoff, and a test run right after fixing the router must try again for real.
 */
export const freshRouterClient: RouterClientFactory = (spec) => {
  const pool = new RouterConnectionPool(spec, { ...DEFAULT_POOL_LIMITS, maxConnections: 1 });
  return { client: new RouterOsClient(pool), close: () => pool.close() };
};

const CONNECTION_TEST_TIMEOUT_MS = 5_000;

export const connectionTestSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    latencyMs: z.number(),
    identity: z.string(),
    version: z.string(),
    channel: z.string().optional(),
    uptimeSeconds: z.number(),
    board: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    latencyMs: z.number(),
    error: z.object({
      kind: z.string().describe('unreachable, timeout, authentication, tls, unsupported, ...'),
      message: z.string(),
    }),
  }),
]);

export type ConnectionTest = z.output<typeof connectionTestSchema>;

/**
 * Connects with a router's stored settings and reads identity, RouterOS version and uptime. A router
 * that cannot be reached or refuses the login is a result (`ok: false` with the kind of failure), not
 * an error of the caller's request.
 */
export async function probeRouter(
  spec: RouterConnectionSpec,
  openRouterClient: RouterClientFactory,
): Promise<ConnectionTest> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const { client, close } = openRouterClient({ ...spec, timeoutMs: CONNECTION_TEST_TIMEOUT_MS });
  try {
    const info = await client.routerInfo();
    return { ok: true, latencyMs: latencyMs(), ...info };
  } catch (error) {
    if (!isRouterError(error)) throw error;
    return { ok: false, latencyMs: latencyMs(), error: { kind: error.kind, message: error.message } };
  } finally {
    await close();
  }
}
