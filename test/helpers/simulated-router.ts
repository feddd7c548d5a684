import { startRouter, type SimulatedRouter, type StartRouterOptions } from '../../simulator';
import type { Harness } from './harness';
import { uniqueId } from './fixtures';

/** A simulated router registered through the admin API, with a pool of client addresses. */
export async function addSimulatedRouter(
  harness: Harness,
  options: StartRouterOptions & { cidr?: string } = {},
) {
  const router: SimulatedRouter = await startRouter(options);
  const suffix = uniqueId();
  const created = await harness.admin('POST', '/v1/admin/routers', {
    name: `sim-${suffix}`,
    apiHost: router.host,
    apiPort: router.apiPort,
    tls: false,
    apiUser: 'admin',
    apiPassword: 'admin',
    publicHostname: `vpn-${suffix}.example.net`,
  });
  if (created.status !== 201) throw new Error(`router not created: ${JSON.stringify(created.body)}`);
  const routerId = created.body.id as number;
  const pool = await harness.admin('POST', `/v1/admin/routers/${routerId}/addresses`, {
    cidr: options.cidr ?? '10.100.0.0/24',
  });
  if (pool.status >= 300) throw new Error(`pool not created: ${JSON.stringify(pool.body)}`);
  return { router, routerId };
}
