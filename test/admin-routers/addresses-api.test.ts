import { adminRouterSchemas as schemas } from '../../api/routes/admin-routers';
import { insertRouter, insertService } from '../helpers/fixtures';
import { type AdminApp, startAdminApp } from './admin-app';

describe('admin address pool API', () => {
  let app: AdminApp;
  beforeAll(async () => {
    app = await startAdminApp();
  });
  afterAll(() => app.close());

  const path = (routerId: bigint | number) => `/v1/admin/routers/${routerId}/addresses`;

  it('adds a /24 without its network and broadcast addresses, and a list, skipping ones present', async () => {
    const routerId = await insertRouter(app.db);
    const range = await app.call('POST', path(routerId), { cidr: '10.20.0.0/24' });
    expect(range.status).toBe(200);
    expect(range.body).toMatchObject({ added: 254, alreadyPresent: 0 });
    expect(range.body.counts.private).toEqual({ total: 254, held: 0, free: 254 });

    const list = await app.call('POST', path(routerId), {
      addresses: ['10.20.0.1', '10.20.0.255', '198.51.100.7', '198.51.100.7'],
      kind: 'public',
    });
    expect(list.body).toMatchObject({ added: 2, alreadyPresent: 1 });
    expect(list.body.counts).toEqual({
      private: { total: 254, held: 0, free: 254 },
      public: { total: 2, held: 0, free: 2 },
    });

    const page = await app.call('GET', `${path(routerId)}?limit=3`);
    expect(page.status).toBe(200);
    const parsed = schemas.addressList.parse(page.body);
    expect(parsed.addresses.map((row) => row.address)).toEqual(['10.20.0.1', '10.20.0.2', '10.20.0.3']);
    expect(parsed.nextAfter).toBe('10.20.0.3');
    const last = await app.call('GET', `${path(routerId)}?after=10.20.0.253&limit=10`);
    expect(last.body.addresses.map((row: { address: string }) => row.address)).toEqual([
      '10.20.0.254',
      '10.20.0.255',
      '198.51.100.7',
    ]);
    expect(last.body.nextAfter).toBeNull();
    const publicOnly = await app.call('GET', `${path(routerId)}?kind=public`);
    expect(publicOnly.body.addresses).toHaveLength(2);
  });

  it('keeps both addresses of a /31 and the one of a /32, and takes a whole /16', async () => {
    const routerId = await insertRouter(app.db);
    expect((await app.call('POST', path(routerId), { cidr: '192.0.2.0/31' })).body.added).toBe(2);
    expect((await app.call('POST', path(routerId), { cidr: '192.0.2.9/32' })).body.added).toBe(1);
    const started = performance.now();
    const large = await app.call('POST', path(routerId), { cidr: '10.64.0.0/16' });
    expect(large.body.added).toBe(65_534);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('answers 400 for ranges wider than /16, host bits, bad addresses and ambiguous bodies', async () => {
    const routerId = await insertRouter(app.db);
    const cases: [unknown, string][] = [
      [{ cidr: '10.0.0.0/15' }, 'cidr'],
      [{ cidr: '10.0.0.1/24' }, 'cidr'],
      [{ cidr: '2001:db8::/64' }, 'cidr'],
      [{ addresses: ['10.0.0.1', '10.0.0.300'] }, 'addresses.1'],
      [{ addresses: ['10.0.0.1'], cidr: '10.0.0.0/30' }, 'addresses'],
      [{}, 'addresses'],
      [{ addresses: ['10.0.0.1'], kind: 'shared' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const answer = await app.call('POST', path(routerId), body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
    const badQuery = await app.call('GET', `${path(routerId)}?limit=0&held=maybe`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual([
      'held',
      'limit',
    ]);
  });

  it('shows which live service holds an address and refuses to remove held ones with 409', async () => {
    const routerId = await insertRouter(app.db);
    await app.call('POST', path(routerId), { cidr: '10.30.0.0/29' });
    const [held] = await app.db('router_addresses').where({ router_id: routerId, address: '10.30.0.2' });
    const [gone] = await app.db('router_addresses').where({ router_id: routerId, address: '10.30.0.3' });
    const serviceId = await insertService(app.db, routerId, { address_id: held.id });
    await insertService(app.db, routerId, {
      address_id: gone.id,
      status: 'terminated',
      terminated_at: new Date(),
    });

    const listed = await app.call('GET', `${path(routerId)}?held=true`);
    expect(listed.body.addresses).toEqual([expect.objectContaining({ address: '10.30.0.2', serviceId })]);
    expect(listed.body.counts.private).toEqual({ total: 6, held: 1, free: 5 });
    const free = await app.call('GET', `${path(routerId)}?held=false`);
    expect(free.body.addresses).toHaveLength(5);

    const refused = await app.call('DELETE', path(routerId), { cidr: '10.30.0.0/29' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'addresses_in_use',
      details: [{ address: '10.30.0.2', serviceId }],
    });
    expect((await app.db('router_addresses').where({ router_id: routerId })).length).toBe(6);

    const removed = await app.call('DELETE', path(routerId), {
      addresses: ['10.30.0.1', '10.30.0.3', '10.99.0.1'],
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ removed: 2, notFound: 1 });
    expect(removed.body.counts.private).toEqual({ total: 4, held: 1, free: 3 });
  });
});
