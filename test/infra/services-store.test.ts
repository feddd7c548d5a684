import { createServicesStore, type ServiceRecord } from '../../store/services-store';
import { parseProductSettings } from '../../domain/product-settings';
import { insertRouter, testSecretBox, uniqueId } from '../helpers/fixtures';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

describe('the services store on PostgreSQL', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  const recordFor = async (overrides: Partial<ServiceRecord> = {}): Promise<ServiceRecord> => {
    const serviceId = uniqueId();
    return {
      serviceId,
      clientId: 5,
      clientEmail: 'client@example.net',
      clientLanguage: 'english',
      product: parseProductSettings({}),
      routerId: Number(await insertRouter(stack.db)),
      username: `vpn${serviceId}`,
      passwordSealed: testSecretBox.seal('pw'),
      addressId: null,
      status: 'provisioning',
      suspensionReasons: [],
      billingCycle: 'monthly',
      nextDueDate: null,
      revision: 1,
      ...overrides,
    };
  };
  const statusOf = async (serviceId: number) =>
    (await stack.db('services').where({ id: serviceId }).first('status', 'revision')) as {
      status: string;
      revision: bigint;
    };

  it('applies each newer revision and ignores a save that arrives late', async () => {
    const store = createServicesStore(stack.db);
    const provisioning = await recordFor({ revision: 1_000 });
    await store.save(provisioning);
    await store.save({ ...provisioning, status: 'active', revision: 2_000 });
    expect(await statusOf(provisioning.serviceId)).toEqual({ status: 'active', revision: 2_000n });

    await store.save(provisioning);
    await store.save({ ...provisioning, status: 'suspended', suspensionReasons: ['admin'], revision: 2_000 });
    expect(await statusOf(provisioning.serviceId)).toEqual({ status: 'active', revision: 2_000n });

    await store.save({ ...provisioning, status: 'suspended', suspensionReasons: ['admin'], revision: 2_001 });
    expect(await statusOf(provisioning.serviceId)).toEqual({ status: 'suspended', revision: 2_001n });
  });

  it('keeps an allocated address when a save prepared before the allocation arrives after it', async () => {
    const store = createServicesStore(stack.db);
    const record = await recordFor({ revision: 10 });
    await store.save(record);
    const [address] = await stack
      .db('router_addresses')
      .insert({ router_id: record.routerId, address: '10.77.0.9', kind: 'private' })
      .returning('id');
    await store.save({ ...record, addressId: String(address.id), revision: 11 });
    await store.save({ ...record, nextDueDate: '2027-01-01', addressId: null, revision: 12 });
    const row = await stack
      .db('services')
      .where({ id: record.serviceId })
      .first('address_id', 'next_due_date');
    expect(row.address_id).toBe(BigInt(address.id));
    expect(row.next_due_date).not.toBeNull();
  });
});
