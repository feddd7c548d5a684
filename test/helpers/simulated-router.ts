import { startRouter, type SimulatedRouter, type StartRouterOptions } from '../../simulator';
import type { Harness } from './harness';
import { uniqueId } from './fixtures';

/**
 * Registers a running simulated router through the admin API, with a pool of client addresses unless
 * `cidr` is null, and with another API password when a test needs the router to refuse the login.
 */
export async function registerSimulatedRouter(
  harness: Harness,
  router: SimulatedRouter,
  options: { cidr?: string | null; apiPassword?: string } = {},
): Promise<number> {
  const suffix = uniqueId();
  const created = await harness.admin('POST', '/v1/admin/routers', {
    name: `sim-${suffix}`,
    apiHost: router.host,
    apiPort: router.apiPort,
    tls: false,
    apiUser: 'admin',
    apiPassword: options.apiPassword ?? 'admin',
    publicHostname: `vpn-${suffix}.example.net`,
  });
  if (created.status !== 201) throw new Error(`router not created: ${JSON.stringify(created.body)}`);
  const routerId = created.body.id as number;
  if (options.cidr !== null) {
    const pool = await harness.admin('POST', `/v1/admin/routers/${routerId}/addresses`, {
      cidr: options.cidr ?? '10.100.0.0/24',
    });
    if (pool.status >= 300) throw new Error(`pool not created: ${JSON.stringify(pool.body)}`);
  }
  return routerId;
}

/** A new simulated router registered through the admin API, with a pool of client addresses. */
export async function addSimulatedRouter(
  harness: Harness,
  options: StartRouterOptions & { cidr?: string } = {},
) {
  const router: SimulatedRouter = await startRouter(options);
  const routerId = await registerSimulatedRouter(harness, router, { cidr: options.cidr });
  return { router, routerId };
}
