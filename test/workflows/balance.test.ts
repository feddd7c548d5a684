import { FAILURE } from '../../domain/failures';
import {
  addTrafficUpdate,
  balanceChangedSignal,
  suspendUpdate,
  unsuspendUpdate,
} from '../../workflows/vpn-service/messages';
import { eventually } from '../helpers/eventually';
import { businessFailure } from './fake-activities';
import { GB, startServiceWorker, type ServiceWorker } from './service-worker';

/** A billing month of one second: cycles pass within a test. */
const FAST_MONTHS = { secondsPerMonth: 1 };

describe('the service workflow’s balance and billing cycles', () => {
  let worker: ServiceWorker;
  /** Services on a compressed clock continue as new every second; each test ends its own. */
  const fastServices: number[] = [];

  beforeAll(async () => {
    worker = await startServiceWorker();
  });
  afterEach(async () => {
    await Promise.all(fastServices.splice(0).map((id) => worker.handleOf(id).terminate('test done')));
  });
  afterAll(() => worker?.close());

  const createFast = async () => {
    const created = await worker.create({}, FAST_MONTHS);
    fastServices.push(created.serviceId);
    return created;
  };
  const runIdOf = async (serviceId: number) => (await worker.handleOf(serviceId).describe()).runId;

  it('limits an account whose ledger ran dry on a balance signal, and restores it with a purchase', async () => {
    const { serviceId, username } = await worker.create();
    const handle = worker.handleOf(serviceId);
    worker.world.use(serviceId, 10n * GB);
    // The signal's balance is stale on purpose: the workflow asks the ledger.
    await handle.signal(balanceChangedSignal, { balanceBytes: String(5n * GB) });
    await eventually(async () =>
      expect(await worker.status(serviceId)).toMatchObject({
        status: 'suspended',
        suspensionReasons: ['traffic'],
        routerPending: false,
      }),
    );
    expect(worker.world.accounts.get(username)).toMatchObject({ disabled: true });

    const bought = await handle.executeUpdate(addTrafficUpdate, {
      args: [{ invoiceId: 'INV-1', gb: '0.5', description: 'Traffic addon' }],
    });
    expect(bought).toMatchObject({
      outcome: 'applied',
      credited: true,
      service: { status: 'active', suspensionReasons: [] },
    });
    expect(worker.world.accounts.get(username)).toMatchObject({ disabled: false });
    // Notices go out beside the workflow, so they may arrive in any order.
    await eventually(() =>
      expect(
        worker.world.notices
          .filter((notice) => notice.serviceId === serviceId)
          .map((notice) => notice.kind)
          .sort(),
      ).toEqual(['low-balance', 'traffic-exhausted', 'traffic-restored']),
    );
  });

  it('grants each cycle at its boundary, once, with a compressed clock', async () => {
    const { serviceId } = await createFast();
    const grants = await eventually(() => {
      const rows = worker.world.ledgerOf(serviceId, 'cycle_grant');
      expect(rows.length).toBeGreaterThanOrEqual(3);
      return rows;
    });
    const starts = grants.map((row) => Date.parse(row.key.split(':').slice(2).join(':')));
    expect(starts.slice(1).map((start, index) => start - starts[index])).toEqual(
      starts.slice(1).map(() => FAST_MONTHS.secondsPerMonth * 1000),
    );
    expect(grants.map((row) => row.balanceAfter)).toEqual(
      grants.map((_, index) => BigInt(index + 1) * 10n * GB),
    );
  });

  it('continues as new at a boundary, carrying its state', async () => {
    const { serviceId, username, result } = await createFast();
    const handle = worker.handleOf(serviceId);
    await handle.executeUpdate(suspendUpdate, { args: [{ reason: 'admin' }] });
    const addon = { invoiceId: 'INV-2', gb: '1', description: 'Traffic addon' };
    expect(await handle.executeUpdate(addTrafficUpdate, { args: [addon] })).toMatchObject({ credited: true });
    const firstRun = await runIdOf(serviceId);

    await eventually(async () => expect(await runIdOf(serviceId)).not.toBe(firstRun));
    expect(await worker.status(serviceId)).toMatchObject({
      status: 'suspended',
      suspensionReasons: ['admin'],
      address: result.service.address,
      routerPending: false,
    });
    expect(await handle.executeUpdate(addTrafficUpdate, { args: [addon] })).toMatchObject({
      credited: false,
    });
    const unsuspended = await handle.executeUpdate(unsuspendUpdate, { args: [{ reason: 'admin' }] });
    expect(unsuspended).toMatchObject({ outcome: 'applied', service: { status: 'active' } });
    expect(worker.world.accounts.get(username)).toMatchObject({ disabled: false });
  });

  it('skips a grant the database refuses, logs it, and grants the next cycle', async () => {
    const { serviceId } = await createFast();
    const firstRun = await runIdOf(serviceId);
    // Each boundary grants, then continues as new: a new run means the refused grant was passed over.
    await worker.world.failing('ledger', businessFailure(FAILURE.dataRejected, 'value out of range'), () =>
      eventually(async () => expect(await runIdOf(serviceId)).not.toBe(firstRun)),
    );
    expect(await worker.status(serviceId)).toMatchObject({ status: 'active', routerPending: false });
    const granted = worker.world.ledgerOf(serviceId, 'cycle_grant').length;
    await eventually(() =>
      expect(worker.world.ledgerOf(serviceId, 'cycle_grant').length).toBeGreaterThan(granted),
    );
  });

  it('leaves histories that replay on the current code', async () => {
    expect(await worker.replayFailures()).toEqual([]);
  });
});
