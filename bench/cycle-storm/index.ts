/**
 * The first of the month: 10,000 services whose billing cycle ends at the same instant. Each service's
 * workflow wakes at the boundary, writes its cycle grant and continues as new; the services that had
 * run out of traffic are restored on their router. Measured: the time until every grant is written
 * and every limited account restored, the rate, and the CPU it costs; and on the way, what 1k, 5k and
 * 10k live service workflows cost in memory and storage.
 *
 *   npx tsx bench/cycle-storm/index.ts [--services 10000] [--routers 10] [--limited-percent 30]
 *
 * The services are written to the database and started with the state their workflows would carry
 * after a create (the provisioning benchmark measures creates); everything from the boundary on is the
 * real worker against the real Temporal server, PostgreSQL and simulated routers.
 */
import { readFileSync, statSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { normalizeInstant } from '../../domain/instants';
import { ledgerKeys } from '../../domain/ledger';
import { parseProductSettings } from '../../domain/product-settings';
import type { ServiceState } from '../../domain/service-state';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { encryptedDataConverter, PayloadEncryptionCodec } from '../../infra/payload-codec';
import { RouterConnectionPool } from '../../routeros';
import { vpnServiceWorkflow } from '../../workflows';
import { serviceSearchAttributes } from '../../workflows/search-attributes';
import type { VpnServiceInput } from '../../workflows/vpn-service/workflow';
import { startCpuAccount } from '../cpu-accounting';
import { startBenchmarkStack, type BenchmarkStack } from '../stack';
import { mapBounded, positiveInteger, runWhenExecuted } from '../support';

export interface CycleStormOptions {
  services: number;
  routers: number;
  /** Share of the services out of traffic (suspended for `traffic`) when the cycle ends. */
  limitedPercent: number;
}

const DEFAULT_OPTIONS: CycleStormOptions = { services: 10_000, routers: 10, limitedPercent: 30 };
/** A month of 30 days: the cycle clock only places the boundary, it compresses nothing. */
const MONTH_SECONDS = 30 * 86_400;
const GB = 1_000_000_000n;
const FOOTPRINT_AT = [1_000, 5_000, 10_000];
/** Services written and started between footprint readings. */
const FOOTPRINT_STEP = 1_000;
const STARTS_IN_FLIGHT = 40;
/** Starting is slower than this on two cores; the boundary is set far enough ahead for it. */
const ASSUMED_STARTS_PER_SECOND = 120;

const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(0)} MB`;

function residentBytes(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

function fileBytes(file: string): number {
  return [file, `${file}-wal`, `${file}-shm`].reduce(
    (sum, candidate) => sum + (existsSync(candidate) ? statSync(candidate).size : 0),
    0,
  );
}

/**
 * Rows and bytes vpnflow keeps in PostgreSQL for the services, per service: the tables that grow with
 * them, and the pool addresses they hold (the pool itself is sized with the router, not per service).
 */
async function databaseFootprint(stack: BenchmarkStack) {
  const tables = ['services', 'traffic_ledger', 'meter_state', 'daily_usage'];
  const [{ services, heldAddresses }] = await stack
    .db('services')
    .select<{ services: string; heldAddresses: string }[]>(
      stack.db.raw('count(*) as services, count(address_id) as "heldAddresses"'),
    );
  let rows = Number(heldAddresses);
  let bytes = 0;
  for (const table of tables) {
    const [{ count }] = await stack.db(table).count<{ count: string }[]>('* as count');
    const {
      rows: [size],
    } = await stack.db.raw<{ rows: { bytes: string }[] }>('select pg_total_relation_size(?) as bytes', [
      table,
    ]);
    rows += Number(count);
    bytes += Number(size.bytes);
  }
  return { rowsPerService: rows / Number(services), bytesPerService: bytes / Number(services) };
}

export async function runCycleStormBenchmark(
  overrides: Partial<CycleStormOptions> = {},
  log: (line: string) => void = console.log,
) {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const temporalDbFile = path.join(tmpdir(), `vpnflow-cycle-storm-${process.pid}.db`);
  const stack = await startBenchmarkStack({
    name: 'cycle-storm',
    routers: options.routers,
    withApi: true,
    temporalDbFile,
  });
  const connection = await Connection.connect({ address: stack.temporal.address });
  try {
    const client = new Client({
      connection,
      dataConverter: encryptedDataConverter(new PayloadEncryptionCodec([stack.env.PAYLOAD_CODEC_KEY])),
    });
    const product = parseProductSettings({
      pppService: 'l2tp',
      downloadMbps: 50,
      uploadMbps: 10,
      trafficGb: { monthly: 100 },
    });
    const boundary = Date.now() + (options.services / ASSUMED_STARTS_PER_SECOND) * 1000 + 30_000;
    const boundaryIso = new Date(boundary).toISOString();
    const anchorIso = new Date(boundary - MONTH_SECONDS * 1000).toISOString();
    const limitedEvery = Math.max(1, Math.round(100 / Math.max(1, options.limitedPercent)));

    // The services as a create leaves them: a row, an address, the last cycle's grant (none for the
    // limited ones, whose traffic ran out), all on the routers in turn.
    const firstId = 1_000_000;
    const ids = Array.from({ length: options.services }, (_, index) => firstId + index);
    const isLimited = (serviceId: number) => (serviceId - firstId) % limitedEvery === 0;
    const addressRows: { id: bigint; router_id: bigint; address: string }[] = await stack
      .db('router_addresses')
      .orderBy('id')
      .select('id', 'router_id', stack.db.raw('host(address) as address'));
    const byRouter = new Map<number, { id: bigint; address: string }[]>();
    for (const row of addressRows) {
      const list = byRouter.get(Number(row.router_id)) ?? [];
      list.push(row);
      byRouter.set(Number(row.router_id), list);
    }
    const sealed = stack.secretBox.seal('storm-Passw0rd');
    const services = ids.map((serviceId, index) => {
      const routerId = stack.routerIds[index % stack.routerIds.length];
      const address = byRouter.get(routerId)![Math.floor(index / stack.routerIds.length)];
      return { serviceId, routerId, address, limited: isLimited(serviceId) };
    });
    // A create writes a service's rows and starts its workflow; here a thousand of each at a time, so
    // that the footprint at 1k, 5k and 10k counts what that many services hold.
    const insertRows = async (chunk: typeof services) => {
      await stack.db('services').insert(
        chunk.map((service) => ({
          id: service.serviceId,
          whmcs_client_id: 7,
          client_email: 'storm@example.net',
          product: JSON.stringify(product),
          router_id: service.routerId,
          username: `storm${service.serviceId}`,
          password_encrypted: sealed,
          address_id: service.address.id,
          status: service.limited ? 'suspended' : 'active',
          suspension_reasons: service.limited ? ['traffic'] : [],
          billing_cycle: 'monthly',
          revision: 1,
        })),
      );
      await stack.db('traffic_ledger').insert(
        chunk
          .filter((service) => !service.limited)
          .map((service) => ({
            service_id: service.serviceId,
            delta_bytes: 5n * GB,
            balance_before: 0n,
            balance_after: 5n * GB,
            kind: 'cycle_grant',
            description: 'Traffic for the previous cycle',
            idempotency_key: ledgerKeys.cycleGrant(service.serviceId, anchorIso),
          })),
      );
    };

    const worker = stack.pids.worker;
    log(
      `cycle-storm: ${options.services} services on ${options.routers} simulated routers, ${options.limitedPercent}% out of traffic; ` +
        `their cycle ends at once, ${seconds(boundary - Date.now())} from now`,
    );
    const startsBegan = performance.now();
    const startWorkflow = async (service: (typeof services)[number]) => {
      const state: ServiceState = {
        serviceId: service.serviceId,
        clientId: 7,
        status: service.limited ? 'suspended' : 'active',
        suspensionReasons: service.limited ? ['traffic'] : [],
        username: `storm${service.serviceId}`,
        sealedPassword: sealed,
        product,
        billingCycle: 'monthly',
        sessionResets: 0,
      };
      const input: VpnServiceInput = {
        serviceId: service.serviceId,
        clock: { secondsPerMonth: MONTH_SECONDS },
        carried: {
          state,
          clientEmail: 'storm@example.net',
          clientLanguage: 'english',
          routerId: service.routerId,
          cycleAnchor: anchorIso,
          nextDueDate: null,
          nextGrantAt: boundaryIso,
          savedRevision: 1,
          router: {
            address: { id: String(service.address.id), address: service.address.address },
            desiredVersion: 1,
            appliedVersion: 1,
            kicksDone: 0,
            error: null,
          },
          noticesSent: [],
        },
      };
      await client.workflow.start(vpnServiceWorkflow, {
        workflowId: serviceWorkflowId(service.serviceId),
        taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
        args: [input],
        typedSearchAttributes: serviceSearchAttributes({ ...service, status: state.status }),
      });
    };
    for (let begin = 0; begin < services.length; begin += FOOTPRINT_STEP) {
      const chunk = services.slice(begin, begin + FOOTPRINT_STEP);
      await insertRows(chunk);
      await mapBounded(chunk, STARTS_IN_FLIGHT, startWorkflow);
      const started = begin + chunk.length;
      if (FOOTPRINT_AT.includes(started)) {
        const footprint = await databaseFootprint(stack);
        log(
          `  ${started} live service workflows (${seconds(performance.now() - startsBegan)} to write and start): worker RSS ${megabytes(residentBytes(worker))}, ` +
            `API RSS ${megabytes(residentBytes(stack.pids.API))}, Temporal database ${megabytes(fileBytes(temporalDbFile))}, ` +
            `PostgreSQL ${footprint.rowsPerService.toFixed(1)} rows and ${(footprint.bytesPerService / 1024).toFixed(1)} kB per service`,
        );
      }
    }
    const startsMs = performance.now() - startsBegan;
    log(
      `  wrote and started ${options.services} services in ${seconds(startsMs)} (${(options.services / (startsMs / 1000)).toFixed(0)}/s)`,
    );
    if (Date.now() >= boundary) {
      log('  the boundary passed before every workflow had started: the storm below overlaps the starts');
    }

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, boundary - Date.now())));
    const cpu = startCpuAccount(stack.pids);
    const stormBegan = performance.now();
    const limitedIds = services.filter((service) => service.limited).map((service) => service.serviceId);
    const grantKey = (serviceId: number) => ledgerKeys.cycleGrant(serviceId, normalizeInstant(boundaryIso));
    let grantsDoneMs: number | undefined;
    let restoredDoneMs: number | undefined;
    let lastReport = 0;
    for (;;) {
      if (!stack.alive()) throw new Error(stack.failure());
      const [{ count: grants }] = await stack
        .db('traffic_ledger')
        .whereIn('idempotency_key', [grantKey(ids[0]), grantKey(ids[ids.length - 1])])
        .count<{ count: string }[]>('* as count');
      const [{ count: allGrants }] = await stack
        .db('traffic_ledger')
        .where({ kind: 'cycle_grant' })
        .where('at', '>=', new Date(boundary))
        .count<{ count: string }[]>('* as count');
      const [{ count: restored }] = await stack
        .db('services')
        .whereIn('id', limitedIds)
        .where({ status: 'active' })
        .count<{ count: string }[]>('* as count');
      const elapsed = performance.now() - stormBegan;
      if (grantsDoneMs === undefined && Number(allGrants) >= options.services && Number(grants) === 2)
        grantsDoneMs = elapsed;
      if (restoredDoneMs === undefined && Number(restored) === limitedIds.length) restoredDoneMs = elapsed;
      if (elapsed - lastReport >= 10_000) {
        log(
          `    after ${seconds(elapsed)}: ${allGrants} grants written, ${restored} of ${limitedIds.length} limited accounts restored`,
        );
        lastReport = elapsed;
      }
      if (grantsDoneMs !== undefined && restoredDoneMs !== undefined) break;
      if (elapsed > 30 * 60_000) throw new Error('the storm did not settle within 30 minutes');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const onRouters = await enabledOnRouters(
      stack,
      limitedIds.map((serviceId) => `storm${serviceId}`),
    );
    const settledMs = Math.max(grantsDoneMs, restoredDoneMs);
    const cpuPerService = cpu.perUnit(options.services);
    log(
      `  every grant written ${seconds(grantsDoneMs)} after the boundary, every limited account restored after ${seconds(restoredDoneMs)} ` +
        `(${onRouters} of ${limitedIds.length} enabled on their routers): ${(options.services / (settledMs / 1000)).toFixed(0)} services/s`,
    );
    log(
      `  CPU per service at the boundary: ${cpuPerService.reduce((sum, entry) => sum + entry.milliseconds, 0).toFixed(1)} ms — ` +
        cpuPerService.map((entry) => `${entry.name} ${entry.milliseconds.toFixed(1)} ms`).join(', '),
    );
    return { grantsMs: grantsDoneMs, restoredMs: restoredDoneMs };
  } finally {
    await connection.close();
    await stack.stop();
    rmSync(temporalDbFile, { force: true });
    rmSync(`${temporalDbFile}-wal`, { force: true });
    rmSync(`${temporalDbFile}-shm`, { force: true });
  }
}

/** How many of the accounts the routers hold enabled, read over the RouterOS API. */
async function enabledOnRouters(stack: BenchmarkStack, names: string[]): Promise<number> {
  const wanted = new Set(names);
  let enabled = 0;
  for (const spec of stack.specs) {
    const connection = new RouterConnectionPool(spec);
    try {
      const rows = await connection.call(['/ppp/secret/print', '?disabled=false', '=.proplist=name']);
      enabled += rows.filter((row) => wanted.has(row.name)).length;
    } finally {
      await connection.close();
    }
  }
  return enabled;
}

export async function main(argv: string[] = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      services: { type: 'string' },
      routers: { type: 'string' },
      'limited-percent': { type: 'string' },
    },
  });
  return runCycleStormBenchmark({
    services: positiveInteger('services', values.services, DEFAULT_OPTIONS.services),
    routers: positiveInteger('routers', values.routers, DEFAULT_OPTIONS.routers),
    limitedPercent: positiveInteger(
      'limited-percent',
      values['limited-percent'],
      DEFAULT_OPTIONS.limitedPercent,
    ),
  });
}

runWhenExecuted(module, main);
