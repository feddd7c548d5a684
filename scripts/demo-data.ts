import type { Database } from '../infra/database';
import type { SecretBox } from '../infra/secret-box';
import { addressesInCidr, createAddressPoolStore } from '../store/address-pool-store';
import { createRoutersStore } from '../store/routers-store';

/** The simulated router `npm run dev` starts, as its control endpoint describes it. */
export interface DemoRouter {
  host: string;
  tlsPort: number;
  tlsFingerprint: string;
  apiUser: string;
  apiPassword: string;
}

const DEMO_ROUTER_NAME = 'demo-router';
const DEMO_POOL = '10.99.0.0/24';
export const DEMO_SERVICE_IDS = [1001, 1002, 1003];

/**
 * Registers the demo router (api-ssl with its pinned fingerprint) and its address pool, or updates
 * them to the simulator started this time: its certificate is new on every start.
 */
export async function ensureDemoRouter(
  db: Database,
  secretBox: SecretBox,
  router: DemoRouter,
): Promise<number> {
  const routers = createRoutersStore(db, secretBox);
  const settings = {
    name: DEMO_ROUTER_NAME,
    apiHost: router.host,
    apiPort: router.tlsPort,
    tls: true,
    tlsFingerprint: router.tlsFingerprint,
    apiUser: router.apiUser,
    apiPassword: router.apiPassword,
    publicHostname: 'vpn.demo.localhost',
    capacity: 250,
    enabled: true,
    allowPlainApi: false,
  };
  const existing = (await routers.list()).find((candidate) => candidate.name === DEMO_ROUTER_NAME);
  const saved = existing ? await routers.update(existing.id, settings) : await routers.create(settings);
  if (!saved) throw new Error('the demo router vanished while it was being updated');
  const pool = createAddressPoolStore(db);
  const counts = await pool.counts(saved.id);
  if (counts.private.total === 0) await pool.add(saved.id, addressesInCidr(DEMO_POOL), 'private');
  return saved.id;
}

/** Demo services created through the API like WHMCS would; repeating a create is harmless. */
export function demoServiceRequests(routerId: number) {
  return DEMO_SERVICE_IDS.map((serviceId, index) => ({
    serviceId,
    clientId: 501 + index,
    clientEmail: `demo${index + 1}@example.net`,
    clientLanguage: ['english', 'polish', 'german'][index],
    routerId,
    username: `demo${index + 1}`,
    password: `demo-pass-${index + 1}`,
    product: { pppService: 'any', downloadMbps: 20, uploadMbps: 5, trafficGb: { monthly: 100 } },
    billingCycle: 'Monthly',
  }));
}
