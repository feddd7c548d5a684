import { FAILURE } from '../../domain/failures';
import { ledgerKeys } from '../../domain/ledger';
import { parseProductSettings } from '../../domain/product-settings';
import { vpnServiceWorkflow } from '../../workflows';
import {
  addTrafficUpdate,
  changePackageUpdate,
  changePasswordUpdate,
  renewUpdate,
  resetConnectionUpdate,
  suspendUpdate,
  terminateUpdate,
  unsuspendUpdate,
} from '../../workflows/vpn-service/messages';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { uniqueId } from '../helpers/fixtures';
import { businessFailure } from './fake-activities';
import { createCommand, GB, startServiceWorker, updateFailure, type ServiceWorker } from './service-worker';

/** One test per command of the service workflow, against fake activities: what it asks of the world. */
describe('the service workflow’s commands', () => {
  let worker: ServiceWorker;

  beforeAll(async () => {
    worker = await startServiceWorker();
  });
  afterAll(() => worker?.close());

  const account = (username: string) => worker.world.accounts.get(username);

  it('creates: the account on the router, the first cycle granted, the record saved; a repeat is harmless', async () => {
    const { serviceId, username, result } = await worker.create();
    expect(result).toMatchObject({
      outcome: 'applied',
      service: { status: 'active', username: `vpn${serviceId}`, routerPending: false, routerError: null },
    });
    expect(account(username)).toMatchObject({
      present: true,
      disabled: false,
      address: result.service.address,
    });
    expect(worker.world.ledgerOf(serviceId)).toEqual([
      expect.objectContaining({ kind: 'cycle_grant', deltaBytes: 10n * GB }),
    ]);
    expect(worker.world.records.get(serviceId)).toMatchObject({ status: 'active', username });

    const repeated = await worker.create({ serviceId });
    expect(repeated.result).toMatchObject({ outcome: 'applied', service: result.service });
    expect(worker.world.ledgerOf(serviceId)).toHaveLength(1);
  });

  it('refuses a create repeated for another client with ServiceConflict', async () => {
    const { serviceId } = await worker.create();
    await expect(updateFailure(worker.create({ serviceId, clientId: 999 }))).resolves.toMatchObject({
      type: FAILURE.serviceConflict,
    });
  });

  it('refuses a command before the create with ServiceNotCreated', async () => {
    const serviceId = uniqueId();
    const handle = await worker.client.workflow.start(vpnServiceWorkflow, {
      workflowId: serviceWorkflowId(serviceId),
      taskQueue: worker.taskQueue,
      args: [{ serviceId }],
    });
    try {
      await expect(
        updateFailure(handle.executeUpdate(suspendUpdate, { args: [{ reason: 'admin' }] })),
      ).resolves.toMatchObject({ type: FAILURE.serviceNotCreated });
      expect(await worker.status(serviceId)).toBeNull();
    } finally {
      await handle.terminate('test done');
    }
  });

  it('suspends for billing and for admin: the account stays disabled until every reason is lifted', async () => {
    const { serviceId, username } = await worker.create();
    const handle = worker.handleOf(serviceId);
    await handle.executeUpdate(suspendUpdate, { args: [{ reason: 'billing' }] });
    const both = await handle.executeUpdate(suspendUpdate, { args: [{ reason: 'admin' }] });
    expect(both).toMatchObject({
      outcome: 'applied',
      service: { status: 'suspended', suspensionReasons: ['admin', 'billing'] },
    });
    expect(account(username)).toMatchObject({ disabled: true });

    const onlyBilling = await handle.executeUpdate(unsuspendUpdate, { args: [{ reason: 'admin' }] });
    expect(onlyBilling.service).toMatchObject({ status: 'suspended', suspensionReasons: ['billing'] });
    expect(account(username)).toMatchObject({ disabled: true });
    expect(worker.world.records.get(serviceId)).toMatchObject({ suspensionReasons: ['billing'] });
  });

  it('unsuspends for billing with the current cycle granted once', async () => {
    const { serviceId, username } = await worker.create();
    const handle = worker.handleOf(serviceId);
    await handle.executeUpdate(suspendUpdate, { args: [{ reason: 'billing' }] });
    const unsuspended = await handle.executeUpdate(unsuspendUpdate, { args: [{ reason: 'billing' }] });
    expect(unsuspended).toMatchObject({ outcome: 'applied', service: { status: 'active' } });
    expect(account(username)).toMatchObject({ disabled: false });
    // The create granted this cycle already; its key makes the unsuspend's grant a no-op.
    expect(worker.world.ledgerOf(serviceId, 'cycle_grant')).toHaveLength(1);
  });

  it('terminates: the account leaves the router, the record says so, the workflow completes', async () => {
    const { serviceId, username } = await worker.create();
    const handle = worker.handleOf(serviceId);
    const terminated = await handle.executeUpdate(terminateUpdate);
    expect(terminated).toMatchObject({ outcome: 'applied', service: { status: 'terminated' } });
    expect(account(username)).toBeUndefined();
    expect(await handle.result()).toMatchObject({ status: 'terminated', routerPending: false });
    expect(worker.world.records.get(serviceId)).toMatchObject({ status: 'terminated' });
  });

  it('changes the password and kicks the live session', async () => {
    const { serviceId, username } = await worker.create();
    const changed = await worker
      .handleOf(serviceId)
      .executeUpdate(changePasswordUpdate, { args: [{ passwordSealed: 'sealed:second' }] });
    expect(changed.outcome).toBe('applied');
    expect(account(username)).toMatchObject({ sealedPassword: 'sealed:second', sessionResets: 1, kicks: 1 });
  });

  it('changes the package: speed and profile on the router at once', async () => {
    const { serviceId, username } = await worker.create();
    const faster = parseProductSettings({
      ...createCommand({ serviceId }).product,
      downloadMbps: 50,
      pppProfile: 'fast',
    });
    const changed = await worker
      .handleOf(serviceId)
      .executeUpdate(changePackageUpdate, { args: [{ product: faster, billingCycle: 'quarterly' }] });
    expect(changed).toMatchObject({ outcome: 'applied', service: { billingCycle: 'quarterly' } });
    expect(account(username)).toMatchObject({
      profile: 'fast',
      queueMaxLimit: expect.stringMatching(/\/50M$/),
    });
  });

  it('resets the connection with one kick per request', async () => {
    const { serviceId, username } = await worker.create();
    const handle = worker.handleOf(serviceId);
    await handle.executeUpdate(resetConnectionUpdate);
    await handle.executeUpdate(resetConnectionUpdate);
    expect(account(username)).toMatchObject({ sessionResets: 2, kicks: 2 });
  });

  it('refuses what the state machine refuses with InvalidTransition, before anything changes', async () => {
    const { serviceId } = await worker.create();
    const handle = worker.handleOf(serviceId);
    await expect(
      updateFailure(handle.executeUpdate(unsuspendUpdate, { args: [{ reason: 'admin' }] })),
    ).resolves.toEqual(
      expect.objectContaining({
        type: FAILURE.invalidTransition,
        message: 'cannot unsuspend: service is not suspended for admin',
      }),
    );
    expect(await worker.status(serviceId)).toMatchObject({ status: 'active', suspensionReasons: [] });
  });

  it('adds traffic once per invoice line: a repeat answers credited false', async () => {
    const { serviceId } = await worker.create();
    const handle = worker.handleOf(serviceId);
    const addon = { invoiceId: 'INV-7', invoiceItemId: '2', gb: '2.5', description: 'Traffic addon' };
    const first = await handle.executeUpdate(addTrafficUpdate, { args: [addon] });
    expect(first).toMatchObject({
      outcome: 'applied',
      credited: true,
      balanceBytes: String(12_500_000_000n),
    });
    const repeat = await handle.executeUpdate(addTrafficUpdate, { args: [addon] });
    expect(repeat).toMatchObject({ credited: false, balanceBytes: String(12_500_000_000n) });
    const otherLine = await handle.executeUpdate(addTrafficUpdate, {
      args: [{ ...addon, invoiceItemId: '3' }],
    });
    expect(otherLine).toMatchObject({ credited: true, balanceBytes: String(15_000_000_000n) });
    expect(worker.world.ledgerOf(serviceId, 'addon').map((row) => row.key)).toEqual([
      ledgerKeys.addon(serviceId, 'INV-7', '2'),
      ledgerKeys.addon(serviceId, 'INV-7', '3'),
    ]);
  });

  it('fails an addon the ledger refuses with the ledger’s failure, and changes nothing', async () => {
    const { serviceId } = await worker.create();
    const before = await worker.status(serviceId);
    const refusal = businessFailure(FAILURE.creditConflict, 'INV-8 was credited with 5 GB');
    const failure = await worker.world.failing('ledger', refusal, () =>
      updateFailure(
        worker.handleOf(serviceId).executeUpdate(addTrafficUpdate, {
          args: [{ invoiceId: 'INV-8', gb: '1', description: 'Traffic addon' }],
        }),
      ),
    );
    expect(failure).toMatchObject({ type: FAILURE.creditConflict, message: 'INV-8 was credited with 5 GB' });
    expect(await worker.status(serviceId)).toEqual(before);
    expect(worker.world.ledgerOf(serviceId, 'addon')).toEqual([]);
  });

  it('renews: the next due date is saved; a date the database refuses fails the update and is not kept', async () => {
    const { serviceId } = await worker.create();
    const handle = worker.handleOf(serviceId);
    await handle.executeUpdate(renewUpdate, { args: [{ nextDueDate: '2031-01-01T00:00:00.000Z' }] });
    expect(worker.world.records.get(serviceId)).toMatchObject({ nextDueDate: '2031-01-01T00:00:00.000Z' });

    const refusal = businessFailure(FAILURE.dataRejected, 'date out of range');
    const failure = await worker.world.failing('serviceRecords', refusal, () =>
      updateFailure(
        handle.executeUpdate(renewUpdate, { args: [{ nextDueDate: '9999-12-31T00:00:00.000Z' }] }),
      ),
    );
    expect(failure).toMatchObject({ type: FAILURE.dataRejected, message: 'date out of range' });
    await handle.executeUpdate(resetConnectionUpdate);
    expect(worker.world.records.get(serviceId)).toMatchObject({ nextDueDate: '2031-01-01T00:00:00.000Z' });
  });

  it('leaves histories that replay on the current code', async () => {
    expect(await worker.replayFailures()).toEqual([]);
  });
});
