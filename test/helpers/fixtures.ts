import type { Database } from '../../infra/database';
import { SecretBox } from '../../infra/secret-box';

export const testSecretBox = new SecretBox(Buffer.alloc(32, 7).toString('base64'));

let sequence = 0;
/** Ids unique across the test files that share one database. */
export function uniqueId(): number {
  sequence += 1;
  return (process.pid % 10_000) * 1_000_000 + (Date.now() % 100_000) * 10 + sequence;
}

export async function insertRouter(db: Database, overrides: Record<string, unknown> = {}): Promise<bigint> {
  const id = uniqueId();
  const [row] = await db('routers')
    .insert({
      name: `router-${id}`,
      api_host: '127.0.0.1',
      api_port: 8728,
      api_tls: false,
      api_user: 'admin',
      api_password_encrypted: testSecretBox.seal('admin'),
      public_hostname: `vpn${id}.example.net`,
      ...overrides,
    })
    .returning('id');
  return row.id as bigint;
}

export async function insertService(
  db: Database,
  routerId: bigint,
  overrides: Record<string, unknown> = {},
): Promise<number> {
  const id = uniqueId();
  await db('services').insert({
    id,
    whmcs_client_id: 1,
    client_email: 'client@example.net',
    product: { historyDays: 30 },
    router_id: routerId,
    username: `vpn${id}`,
    password_encrypted: testSecretBox.seal('client-password'),
    status: 'active',
    billing_cycle: 'monthly',
    ...overrides,
  });
  return id;
}
