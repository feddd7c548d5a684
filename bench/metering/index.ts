/**
 * One full metering pass over 100 simulated routers x 1,000 accounts through the activity code
 * (adapter + store + PostgreSQL), against the per-service way: one `?name=` print and one
 * transaction per account, on a sample of routers. Routers and services are inserted directly.
 *
 *   npx tsx bench/metering/index.ts [--routers 100] [--accounts 1000] [--sample-routers 2] [--concurrency 8]
 *
 * DATABASE_URL picks the PostgreSQL server; a database of its own is created and dropped.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createMeteringActivities } from '../../activities/metering';
import {
  parseCounterPair,
  RouterConnectionPool,
  RouterOsClient,
  RouterPool,
  type RouterCaller,
} from '../../routeros';
import type { Database } from '../../infra/database';
import { createRouterDirectory } from '../../infra/router-directory';
import { SecretBox } from '../../infra/secret-box';
import { startRouters, type SimulatedRouter } from '../../simulator';
import { createMeteringStore } from '../../store/metering-store';
import { createRoutersStore } from '../../store/routers-store';
import { cpuShare, createBenchmarkDatabase, mapBounded, positiveInteger, runWhenExecuted } from '../support';

export interface MeteringBenchmarkOptions {
  routers: number;
  accountsPerRouter: number;
  /** Routers metered one account at a time; the rest is extrapolated from them. */
  sampleRouters: number;
  /** Routers (full pass) or accounts (per-account pass) in flight at once. */
  concurrency: number;
}

const DEFAULT_OPTIONS: MeteringBenchmarkOptions = {
  routers: 100,
  accountsPerRouter: 1_000,
  sampleRouters: 2,
  concurrency: 8,
};
const PRODUCT = { trafficGb: { monthly: 100 }, lowBalanceThresholdGb: 1 };
const GRANT_BYTES = 100_000_000_000n;
const ROWS_PER_INSERT = 5_000;

const usernameOf = (router: number, account: number) => `b${router}-${account}`;

async function insertInChunks(db: Database, table: string, rows: Record<string, unknown>[]) {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await db(table).insert(rows.slice(start, start + ROWS_PER_INSERT));
  }
}

function populate(router: SimulatedRouter, routerIndex: number, accounts: number): void {
  for (let account = 0; account < accounts; account += 1) {
    const name = usernameOf(routerIndex, account);
    const address = `10.${64 + (account >> 16)}.${(account >> 8) & 255}.${account & 255}`;
    router.addSecret({ name, password: 'bench-pw', service: 'l2tp', remoteAddress: address });
    router.addStaticQueue({ name, target: `${address}/32`, maxLimit: '5M/20M', comment: `svc=${account}` });
    router.connectSession(name, 'bench-pw', { service: 'l2tp' });
  }
}

async function insertRows(
  db: Database,
  secretBox: SecretBox,
  routers: SimulatedRouter[],
  accounts: number,
): Promise<number[]> {
  const routerRows: { id: bigint }[] = await db('routers')
    .insert(
      routers.map((router, index) => ({
        name: `bench-${index}`,
        api_host: router.host,
        api_port: router.apiPort,
        api_tls: false,
        api_user: router.apiUser,
        api_password_encrypted: secretBox.seal(router.apiPassword),
        public_hostname: `bench-${index}.example.net`,
      })),
    )
    .returning('id');
  const routerIds = routerRows.map((row) => Number(row.id));
  const password = secretBox.seal('bench-pw');
  const services: Record<string, unknown>[] = [];
  const grants: Record<string, unknown>[] = [];
  routerIds.forEach((routerId, routerIndex) => {
    for (let account = 0; account < accounts; account += 1) {
      const id = routerIndex * accounts + account + 1;
      services.push({
        id,
        whmcs_client_id: 1,
        client_email: 'bench@example.net',
        product: PRODUCT,
        router_id: routerId,
        username: usernameOf(routerIndex, account),
        password_encrypted: password,
        status: 'active',
        billing_cycle: 'monthly',
      });
      grants.push({
        service_id: id,
        delta_bytes: GRANT_BYTES,
        balance_before: 0n,
        balance_after: GRANT_BYTES,
        kind: 'cycle_grant',
        description: 'bench grant',
        idempotency_key: `grant:${id}:bench`,
      });
    }
  });
  await insertInChunks(db, 'services', services);
  await insertInChunks(db, 'traffic_ledger', grants);
  return routerIds;
}

const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(2);

export async function runMeteringBenchmark(
  overrides: Partial<MeteringBenchmarkOptions> = {},
  log: (line: string) => void = console.log,
) {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const database = await createBenchmarkDatabase('metering', 16);
  const { db } = database;
  const secretBox = new SecretBox(randomBytes(32).toString('base64'));
  const routerPool = new RouterPool();
  const sampledPools: RouterConnectionPool[] = [];
  const setupStarted = performance.now();
  const routers = await startRouters(options.routers, (index) => ({
    identity: `bench-${index}`,
    seed: index + 1,
  }));
  try {
    routers.forEach((router, index) => populate(router, index, options.accountsPerRouter));
    for (const router of routers) router.advance(60_000);
    const routerIds = await insertRows(db, secretBox, routers, options.accountsPerRouter);
    const store = createMeteringStore(db);
    const routersStore = createRoutersStore(db, secretBox);
    const directory = createRouterDirectory(routersStore, routerPool);
    const activities = createMeteringActivities({ routers: directory, metering: store });
    const accounts = options.routers * options.accountsPerRouter;
    log(
      `metering: ${options.routers} simulated routers x ${options.accountsPerRouter} accounts = ${accounts} ` +
        `accounts, all online, ready in ${seconds(performance.now() - setupStarted)} s`,
    );

    const fullPass = async (label: string) => {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      let read = 0;
      let recorded = 0;
      await mapBounded(routerIds, options.concurrency, async (routerId) => {
        const result = await activities.meterRouter({ routerId });
        read += result.servicesRead;
        recorded += result.services.filter((service) => service.usageRecorded).length;
      });
      const elapsedMs = performance.now() - started;
      if (read !== accounts || recorded !== accounts) {
        throw new Error(`${label}: read ${read} and recorded ${recorded} of ${accounts} accounts`);
      }
      log(
        `  ${label}: ${accounts} accounts in ${seconds(elapsedMs)} s = ${Math.round(accounts / (elapsedMs / 1000))} ` +
          `accounts/s (${options.concurrency} routers at a time; this process used CPU ${cpuShare(cpuBefore, elapsedMs)} ` +
          'of the wall time)',
      );
      return elapsedMs;
    };
    await fullPass('full pass, first readings');
    for (const router of routers) router.advance(300_000);
    const fullMs = await fullPass('full pass, 5 minutes later');

    for (const router of routers) router.advance(300_000);
    const sampled = routerIds.slice(0, options.sampleRouters);
    const calls: Array<{ routerId: number; caller: RouterCaller; uptimeSeconds: number; name: string }> = [];
    for (const [index, routerId] of sampled.entries()) {
      const caller = new RouterConnectionPool((await routersStore.connectionSpec(routerId))!);
      sampledPools.push(caller);
      const { uptimeSeconds } = await new RouterOsClient(caller).routerInfo();
      for (let account = 0; account < options.accountsPerRouter; account += 1) {
        calls.push({ routerId, caller, uptimeSeconds, name: usernameOf(index, account) });
      }
    }
    const perAccountStarted = performance.now();
    await mapBounded(calls, options.concurrency, async ({ routerId, caller, uptimeSeconds, name }) => {
      const [row] = await caller.call(['/queue/simple/print', `?name=${name}`, '=.proplist=name,bytes']);
      const bytes = parseCounterPair(row?.bytes ?? '');
      if (!bytes) throw new Error(`no counters for ${name}`);
      await store.recordRouterReading(routerId, {
        uptimeSeconds,
        readAt: new Date(),
        counters: [{ name, uploadBytes: bytes.upload, downloadBytes: bytes.download }],
        sessions: [],
      });
    });
    const perAccountMs = performance.now() - perAccountStarted;
    const perAccountRate = calls.length / (perAccountMs / 1000);
    const fullRate = accounts / (fullMs / 1000);
    log(
      `  one account at a time: ${calls.length} accounts on ${sampled.length} routers in ${seconds(perAccountMs)} s = ` +
        `${Math.round(perAccountRate)} accounts/s; all ${accounts} would take ~${seconds((accounts / perAccountRate) * 1000)} s`,
    );
    log(
      `  ratio: one print and one transaction per router is ${(fullRate / perAccountRate).toFixed(1)}x faster`,
    );
    log('  (simulated routers, adapter and store share this process; PostgreSQL shares the machine)');
    return { fullPassSeconds: fullMs / 1000, accountsPerSecond: fullRate, perAccountRate };
  } finally {
    await routerPool.close();
    await Promise.all(sampledPools.map((pool) => pool.close()));
    await Promise.all(routers.map((router) => router.stop()));
    await database.drop();
  }
}

/** Command-line entry: parses the flags above and runs the benchmark. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      routers: { type: 'string' },
      accounts: { type: 'string' },
      'sample-routers': { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  return runMeteringBenchmark({
    routers: positiveInteger('routers', values.routers, DEFAULT_OPTIONS.routers),
    accountsPerRouter: positiveInteger('accounts', values.accounts, DEFAULT_OPTIONS.accountsPerRouter),
    sampleRouters: positiveInteger('sample-routers', values['sample-routers'], DEFAULT_OPTIONS.sampleRouters),
    concurrency: positiveInteger('concurrency', values.concurrency, DEFAULT_OPTIONS.concurrency),
  });
}

runWhenExecuted(module, main);
