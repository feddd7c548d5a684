import type { Client } from '@temporalio/client';
import type { SuspensionReason } from '../../domain/service-state';
import { isTaggedForService } from '../../domain/usernames';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import type { Database } from '../../infra/database';
import type { SimulatedRouter } from '../../simulator';
import { statusQuery } from '../../workflows/vpn-service/messages';
import { eventually } from '../helpers/eventually';

/*
 * What every scenario of the fault matrix checks once the system has recovered: the ledger against
 * the simulator's ground truth, each credit once, nothing on a router that no service owns, and every
 * service in the state its last command asked for.
 */

export interface FaultWorld {
  db: Database;
  client: Client;
  routers: ReadonlyArray<{ router: SimulatedRouter; routerId: number }>;
}

export type ExpectedState =
  { status: 'active' } | { status: 'suspended'; reasons: SuspensionReason[] } | { status: 'terminated' };

export interface TrackedService {
  serviceId: number;
  username: string;
  routerId: number;
  /** What its last command asked for. */
  expected: ExpectedState;
  /** Invoice lines credited to it (invoice ids), each of which must be in the ledger once. */
  invoices: string[];
}

const routerOf = (world: FaultWorld, service: TrackedService) =>
  world.routers.find(({ routerId }) => routerId === service.routerId)!.router;

const total = (bytes: { uploadBytes: bigint; downloadBytes: bigint }) =>
  bytes.uploadBytes + bytes.downloadBytes;

/** Bytes billed per service: the sum of its daily usage rows. */
export async function billedBytes(db: Database, serviceIds: readonly number[]) {
  const rows: { service_id: bigint; upload: bigint; download: bigint }[] = await db('daily_usage')
    .whereIn('service_id', serviceIds)
    .groupBy('service_id')
    .select(
      'service_id',
      db.raw('sum(upload_bytes)::bigint as upload'),
      db.raw('sum(download_bytes)::bigint as download'),
    );
  const billed = new Map(serviceIds.map((id) => [id, { uploadBytes: 0n, downloadBytes: 0n }]));
  for (const row of rows)
    billed.set(Number(row.service_id), { uploadBytes: row.upload, downloadBytes: row.download });
  return billed;
}

/**
 * Every byte the simulator moved is billed once. `lostToReboot` bounds, per service, what it may lack:
 * the traffic between a router's last reading and its reboot, which no reading saw.
 */
export async function expectLedgerMatchesTruth(
  world: FaultWorld,
  services: readonly TrackedService[],
  lostToReboot: ReadonlyMap<number, bigint> = new Map(),
): Promise<{ lostBytes: bigint }> {
  const billed = await billedBytes(
    world.db,
    services.map((service) => service.serviceId),
  );
  let lostBytes = 0n;
  for (const service of services) {
    const truth = routerOf(world, service).groundTruth(service.username);
    const bill = billed.get(service.serviceId)!;
    const window = lostToReboot.get(service.serviceId);
    if (window === undefined) {
      expect({ service: service.username, ...bill }).toEqual({ service: service.username, ...truth });
      continue;
    }
    expect(bill.uploadBytes).toBeLessThanOrEqual(truth.uploadBytes);
    expect(bill.downloadBytes).toBeLessThanOrEqual(truth.downloadBytes);
    expect(total(truth) - total(bill)).toBeLessThanOrEqual(window);
    lostBytes += total(truth) - total(bill);
  }
  // The ledger moved with the daily rows.
  for (const service of services) {
    const [usage] = await world
      .db('traffic_ledger')
      .where({ service_id: service.serviceId, kind: 'usage' })
      .sum({ used: 'delta_bytes' });
    expect(-BigInt(usage.used ?? 0)).toBe(total(billed.get(service.serviceId)!));
  }
  return { lostBytes };
}

/** Each paid invoice line credited exactly once, and one grant per service for its one cycle. */
export async function expectEachCreditOnce(world: FaultWorld, services: readonly TrackedService[]) {
  for (const service of services) {
    const rows: {
      kind: string;
      invoice_ref: string | null;
      balance_before: bigint;
      balance_after: bigint;
    }[] = await world
      .db('traffic_ledger')
      .where({ service_id: service.serviceId })
      .orderBy('id')
      .select('kind', 'invoice_ref', 'balance_before', 'balance_after');
    expect(rows.filter((row) => row.kind === 'cycle_grant')).toHaveLength(1);
    const credited = rows.filter((row) => row.kind === 'addon').map((row) => row.invoice_ref);
    expect(credited.sort()).toEqual([...service.invoices].sort());
    for (let index = 1; index < rows.length; index += 1) {
      expect(rows[index].balance_before).toBe(rows[index - 1].balance_after);
    }
  }
}

/**
 * Every PPP secret and static queue on the routers belongs to a live service of that router, by name
 * and by the service's tag in its comment; and every live service has both.
 */
export async function expectRoutersHoldOnlyOwnedAccounts(world: FaultWorld) {
  for (const { router, routerId } of world.routers) {
    const live: { id: bigint; username: string; status: string }[] = await world
      .db('services')
      .where({ router_id: routerId })
      .whereNot({ status: 'terminated' })
      .select('id', 'username', 'status');
    const owner = new Map(live.map((service) => [service.username, Number(service.id)]));
    const items = [
      ...router.secrets().map((secret) => ({ kind: 'secret', name: secret.name, comment: secret.comment })),
      ...router
        .queues()
        .filter((queue) => queue.dynamic === 'false')
        .map((queue) => ({ kind: 'queue', name: queue.name, comment: queue.comment })),
    ];
    for (const item of items) {
      const serviceId = owner.get(item.name);
      expect({
        ...item,
        owned: serviceId !== undefined && isTaggedForService(item.comment, serviceId),
      }).toEqual({
        ...item,
        owned: true,
      });
    }
    for (const service of live.filter(({ status }) => status !== 'provisioning')) {
      expect(
        items
          .filter((item) => item.name === service.username)
          .map((item) => item.kind)
          .sort(),
      ).toEqual(['queue', 'secret']);
    }
  }
}

/** The workflow, the database and the router agree on what each service's last command asked for. */
export async function expectStatesAsAsked(world: FaultWorld, services: readonly TrackedService[]) {
  for (const service of services) {
    const handle = world.client.workflow.getHandle(serviceWorkflowId(service.serviceId));
    const reasons = service.expected.status === 'suspended' ? service.expected.reasons : [];
    await eventually(
      async () =>
        expect(await handle.query(statusQuery)).toMatchObject({
          status: service.expected.status,
          suspensionReasons: reasons,
          routerPending: false,
        }),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const row = await world
      .db('services')
      .where({ id: service.serviceId })
      .first('status', 'suspension_reasons');
    expect(row).toEqual({ status: service.expected.status, suspension_reasons: reasons });
    const secret = routerOf(world, service)
      .secrets()
      .find((candidate) => candidate.name === service.username);
    if (service.expected.status === 'terminated') expect(secret).toBeUndefined();
    else expect(secret?.disabled).toBe(service.expected.status === 'suspended' ? 'true' : 'false');
  }
}

/**
 * All four checks: once every service has settled as asked, `meterAll` records the routers' counters
 * one last time and the ledger is held against the ground truth.
 */
export async function expectRecovered(
  world: FaultWorld,
  services: readonly TrackedService[],
  meterAll: () => Promise<unknown>,
  lostToReboot?: ReadonlyMap<number, bigint>,
) {
  await expectStatesAsAsked(world, services);
  await meterAll();
  await expectRoutersHoldOnlyOwnedAccounts(world);
  await expectEachCreditOnce(world, services);
  return expectLedgerMatchesTruth(world, services, lostToReboot);
}
