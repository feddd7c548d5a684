import { randomUUID } from 'node:crypto';
import { signWhmcsRequest } from '../../api/whmcs-signature';
import type { SimulatedRouter } from '../../simulator';

/** The development secrets `api/main.ts` runs with when a test starts it as a process of its own. */
const DEV_ADMIN_TOKEN = 'dev-admin-token-change-me';
const DEV_WHMCS_SECRET = 'dev-whmcs-secret-change-me';
/** The password of every service these calls create. */
export const PROCESS_SERVICE_PASSWORD = 'process-Passw0rd';

/**
 * Calls an API running as its own process (tests of processes, not of the in-process harness): as an
 * administrator to register a simulated router, and as WHMCS, signed, to create a service on it.
 */
export function processApi(baseUrl: string) {
  const admin = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json() as Promise<Record<string, unknown>>;
  };
  return {
    /** Registers the router with a pool of addresses; answers its vpnflow id. */
    async registerRouter(router: SimulatedRouter, cidr: string): Promise<number> {
      const registered = await admin('POST', '/v1/admin/routers', {
        name: `process-${randomUUID()}`,
        apiHost: router.host,
        apiPort: router.apiPort,
        tls: false,
        apiUser: 'admin',
        apiPassword: 'admin',
        publicHostname: 'vpn.example.net',
      });
      await admin('POST', `/v1/admin/routers/${String(registered.id)}/addresses`, { cidr });
      return registered.id as number;
    },
    /** A signed WHMCS create of a monthly service (10 GB a month unless told); answers the HTTP status. */
    async createService(
      serviceId: number,
      routerId: number,
      username: string,
      monthlyGb = 10,
    ): Promise<number> {
      const path = '/v1/whmcs/services';
      const body = JSON.stringify({
        serviceId,
        clientId: 9,
        clientEmail: 'process@example.net',
        routerId,
        username,
        password: PROCESS_SERVICE_PASSWORD,
        product: { trafficGb: { monthly: monthlyGb } },
        billingCycle: 'Monthly',
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const nonce = randomUUID();
      const signature = signWhmcsRequest(DEV_WHMCS_SECRET, { timestamp, nonce, method: 'POST', path, body });
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-vpnflow-timestamp': String(timestamp),
          'x-vpnflow-nonce': nonce,
          'x-vpnflow-signature': signature,
        },
        body,
      });
      return response.status;
    },
  };
}
