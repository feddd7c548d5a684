import type { SimulatedRouter } from '../../simulator';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';

/** What the service commands answer at their edges: repeats, ended services, paid lines, bad amounts. */
describe('service commands at their edges', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;
  beforeAll(async () => {
    harness = await startHarness();
    ({ router, routerId } = await addSimulatedRouter(harness, { cidr: '10.105.0.0/24' }));
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  const create = async (product: Record<string, unknown> = { trafficGb: { monthly: 10 } }) => {
    const serviceId = uniqueId();
    const created = await harness.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 12,
      clientEmail: 'edges@example.net',
      routerId,
      username: `edge${serviceId}`,
      password: 'edges-Passw0rd',
      product,
      billingCycle: 'Monthly',
    });
    return { serviceId, created };
  };

  it('answers a repeated terminate 200 terminated, and refuses other commands as terminated', async () => {
    const { serviceId } = await create();
    expect((await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/terminate`, {})).status).toBe(200);
    const again = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/terminate`, {});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: 'applied', service: { serviceId, status: 'terminated' } });
    const suspend = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/suspend`, {});
    expect(suspend.status).toBe(409);
    expect(suspend.body.error).toEqual({ code: 'invalid_transition', message: 'service is terminated' });
  });

  it('credits each invoice line once, answers a repeat credited: false, and refuses another amount', async () => {
    const { serviceId } = await create();
    const line = (invoiceItemId: number, gb: number) =>
      harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/traffic`, { invoiceId: 113, invoiceItemId, gb });
    const first = await line(1, 100);
    const second = await line(2, 300);
    expect([first.body.credited, second.body.credited]).toEqual([true, true]);
    expect(second.body.balanceBytes).toBe(String(410n * 10n ** 9n));
    const repeat = await line(2, 300);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ credited: false, balanceBytes: String(410n * 10n ** 9n) });
    const otherAmount = await line(2, 30);
    expect(otherAmount.status).toBe(409);
    expect(otherAmount.body.error.code).toBe('credit_conflict');
    const ledger = await harness.stack.db('traffic_ledger').where({ service_id: serviceId, kind: 'addon' });
    expect(ledger).toHaveLength(2);
  });

  it('refuses amounts and invoice references that can never be stored, naming the field', async () => {
    const { serviceId } = await create();
    for (const [body, field] of [
      [{ invoiceId: 1, gb: 9_300_000_000 }, 'gb'],
      [{ invoiceId: 1, gb: 1_000_000.5 }, 'gb'],
      [{ invoiceId: 1, gb: '0.0001' }, 'gb'],
      [{ invoiceId: 'INV 12', gb: 1 }, 'invoiceId'],
      [{ invoiceId: 1, invoiceItemId: -3, gb: 1 }, 'invoiceItemId'],
    ] as const) {
      const answer = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/traffic`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('refuses a product without a traffic amount for the billing cycle, but takes an explicit 0 as unlimited', async () => {
    const missing = await create({ trafficGb: { annually: 100 } });
    expect(missing.created.status).toBe(400);
    expect(missing.created.body.error.details).toEqual([
      { field: 'product.trafficGb.monthly', message: expect.stringContaining('or 0 for unlimited') },
    ]);
    const unlimited = await create({ trafficGb: { monthly: 0 } });
    expect(unlimited.created.status).toBe(200);
    const changed = await harness.whmcs('POST', `/v1/whmcs/services/${unlimited.serviceId}/package`, {
      product: { downloadMbps: 5 },
      billingCycle: 'Annually',
    });
    expect(changed.status).toBe(400);
    expect(changed.body.error.details[0].field).toBe('product.trafficGb.annually');
  });
});
