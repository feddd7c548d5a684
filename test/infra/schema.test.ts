import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';
import { insertRouter, insertService, uniqueId } from '../helpers/fixtures';

describe('schema constraints', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  const violation = (pattern: RegExp) => expect.objectContaining({ message: expect.stringMatching(pattern) });

  it('assigns an address to at most one live service', async () => {
    const { db } = stack;
    const routerId = await insertRouter(db);
    const [address] = await db('router_addresses')
      .insert({ router_id: routerId, address: '10.77.0.2', kind: 'private' })
      .returning('id');
    const first = await insertService(db, routerId, { address_id: address.id });
    await expect(insertService(db, routerId, { address_id: address.id })).rejects.toEqual(
      violation(/services_live_address/),
    );
    await db('services').where({ id: first }).update({ status: 'terminated', terminated_at: db.fn.now() });
    await expect(insertService(db, routerId, { address_id: address.id })).resolves.toBeGreaterThan(0);
  });

  it('refuses addresses that are not single IPv4 hosts, and duplicates on a router', async () => {
    const { db } = stack;
    const routerId = await insertRouter(db);
    const insert = (address: string) =>
      db('router_addresses').insert({ router_id: routerId, address, kind: 'public' });
    await expect(insert('2001:db8::1')).rejects.toEqual(violation(/check/));
    await expect(insert('10.0.0.0/24')).rejects.toEqual(violation(/check/));
    await insert('203.0.113.9');
    await expect(insert('203.0.113.9')).rejects.toEqual(violation(/unique/));
  });

  it('keeps ledger arithmetic and idempotency keys honest', async () => {
    const { db } = stack;
    const serviceId = await insertService(db, await insertRouter(db));
    const entry = {
      service_id: serviceId,
      delta_bytes: 10n ** 9n,
      balance_before: 0n,
      balance_after: 10n ** 9n,
      kind: 'addon',
      invoice_ref: 'INV-1',
      idempotency_key: `addon:${serviceId}:INV-1`,
    };
    await db('traffic_ledger').insert(entry);
    await expect(db('traffic_ledger').insert(entry)).rejects.toEqual(violation(/idempotency_key/));
    await expect(
      db('traffic_ledger').insert({ ...entry, idempotency_key: `k${uniqueId()}`, balance_after: 5n }),
    ).rejects.toEqual(violation(/check/));
    await expect(
      db('traffic_ledger').insert({ ...entry, idempotency_key: `k${uniqueId()}`, invoice_ref: null }),
    ).rejects.toEqual(violation(/check/));
    const [row] = await db('traffic_ledger').where({ idempotency_key: entry.idempotency_key });
    expect(row.delta_bytes).toBe(10n ** 9n);
  });

  it('keeps status and suspension reasons consistent', async () => {
    const { db } = stack;
    const routerId = await insertRouter(db);
    await expect(insertService(db, routerId, { status: 'suspended' })).rejects.toEqual(violation(/check/));
    await expect(
      insertService(db, routerId, { status: 'active', suspension_reasons: ['traffic'] }),
    ).rejects.toEqual(violation(/check/));
    await expect(
      insertService(db, routerId, { status: 'suspended', suspension_reasons: ['holiday'] }),
    ).rejects.toEqual(violation(/check/));
    await expect(
      insertService(db, routerId, { status: 'suspended', suspension_reasons: ['billing', 'traffic'] }),
    ).resolves.toBeGreaterThan(0);
  });

  it('sends each notice once per service, kind and cycle, and keeps one usage row per day', async () => {
    const { db } = stack;
    const serviceId = await insertService(db, await insertRouter(db));
    const notice = { service_id: serviceId, kind: 'low_balance', cycle_key: '2026-11-01' };
    await db('notifications').insert(notice);
    await expect(db('notifications').insert(notice)).rejects.toEqual(violation(/unique/));
    const usage = { service_id: serviceId, day: '2026-11-20', download_bytes: 5n, upload_bytes: 1n };
    await db('daily_usage').insert(usage);
    await expect(db('daily_usage').insert(usage)).rejects.toEqual(violation(/pkey/));
    await expect(
      db('daily_usage').insert({ ...usage, day: '2026-11-21', download_bytes: -1n }),
    ).rejects.toEqual(violation(/check/));
  });
});
