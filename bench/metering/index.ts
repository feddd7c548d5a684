/**
 * One full metering pass over 100 simulated routers x 1,000 accounts through the activity code
 * (adapter + store + PostgreSQL), against the per-service way: one `?name=` print and one
 * transaction per account, on a sample of routers. The simulated routers run in a process of their
 * own; the services are inserted directly.
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
  RouterConnections,
  type RouterCaller,
} from '../../routeros';
import type { Database } from '../../infra/database';
import { createRouterDirectory } from '../../infra/router-directory';
import { SecretBox } from '../../infra/secret-box';
import { createMeteringStore } from '../../store/metering-store';
import { createRoutersStore } from '../../store/routers-store';
import { freePort } from '../../scripts/free-port';
import { startTsxProcess, stopProcess, waitForJson } from '../../scripts/processes';
import { startCpuAccount } from '../cpu-accounting';
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

interface SimulatedRouterView {
  host: string;
  apiPort: number;
  apiUser: string;
  apiPassword: string;
  accounts: { name: string; password: string }[];
  activeSessions: { name: string }[];
}

/** The simulator names each account's static queue `vpn-<account>`; metering knows a service by it. */
const queueNameOf = (account: { name: string }) => `vpn-${account.name}`;

async function insertInChunks(db: Database, table: string, rows: Record<string, unknown>[]) {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    await db(table).insert(rows.slice(start, start + ROWS_PER_INSERT));
  }
}

async function insertRows(
  db: Database,
  secretBox: SecretBox,
  routers: SimulatedRouterView[],
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
    for (const account of routers[routerIndex].accounts) {
      const id = services.length + 1;
      services.push({
        id,
        whmcs_client_id: 1,
        client_email: 'bench@example.net',
        product: PRODUCT,
        router_id: routerId,
        username: queueNameOf(account),
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
  const routerConnections = new RouterConnections();
  const sampledPools: RouterConnectionPool[] = [];
  const setupStarted = performance.now();
  const controlPort = await freePort();
  // The simulated routers run in a process of their own, as real routers would; their clock moves
  // only when the benchmark says so.
  const simulator = startTsxProcess(
    'simulator/cli.ts',
    [
      ...['--routers', String(options.routers), '--accounts', String(options.accountsPerRouter)],
      ...['--no-tls', '--no-churn', '--base-port', '0', '--control-port', String(controlPort)],
      ...['--tick-ms', String(24 * 3_600_000)],
    ],
    { stdio: 'ignore' },
  );
  const advance = async (milliseconds: number) => {
    const response = await fetch(`http://127.0.0.1:${controlPort}/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ milliseconds }),
    });
    if (!response.ok) throw new Error(`the simulator refused to advance: ${await response.text()}`);
  };
  try {
    const routers = await waitForJson<SimulatedRouterView[]>(
      `http://127.0.0.1:${controlPort}/routers`,
      300_000,
    );
    // Every account online, so that every reading is new usage to write: the heaviest pass.
    const offline = routers.flatMap((router, index) => {
      const online = new Set(router.activeSessions.map((session) => session.name));
      return router.accounts
        .filter((account) => !online.has(account.name))
        .map((account) => ({ index, account }));
    });
    await mapBounded(offline, 32, async ({ index, account }) => {
      const response = await fetch(`http://127.0.0.1:${controlPort}/routers/${index}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: account.name, password: account.password }),
      });
      if (!response.ok) throw new Error(`${account.name} did not connect: ${await response.text()}`);
    });
    await advance(60_000);
    const routerIds = await insertRows(db, secretBox, routers);
    const store = createMeteringStore(db);
    const routersStore = createRoutersStore(db, secretBox);
    const directory = createRouterDirectory(routersStore, routerConnections);
    const activities = createMeteringActivities({ routerClients: directory, metering: store });
    const accounts = routers.reduce((sum, router) => sum + router.accounts.length, 0);
    log(
      `metering: ${options.routers} simulated routers x ${options.accountsPerRouter} accounts = ${accounts} ` +
        `accounts, all online, the routers in a process of their own, ready in ${seconds(performance.now() - setupStarted)} s`,
    );

    const fullPass = async (label: string) => {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const cpu = startCpuAccount({
        'simulated routers': simulator.pid,
        'adapter and store (this process)': process.pid,
      });
      let read = 0;
      let recorded = 0;
      await mapBounded(routerIds, options.concurrency, async (routerId) => {
        const result = await activities.meterRouter({ routerId });
        read += result.servicesRead;
        recorded += result.services.filter((service) => service.usageRecorded).length;
      });
      const elapsedMs = performance.now() - started;
      if (read !== accounts || recorded !== accounts) {
        throw new Error(`${label}: read ${read} and recorded usage for ${recorded} of ${accounts} accounts`);
      }
      const perAccount = cpu.perUnit(accounts);
      log(
        `  ${label}: ${accounts} accounts in ${seconds(elapsedMs)} s = ${Math.round(accounts / (elapsedMs / 1000))} ` +
          `accounts/s (${options.concurrency} routers at a time; this process used CPU ${cpuShare(cpuBefore, elapsedMs)} ` +
          `of the wall time; CPU per account: ${perAccount.map((entry) => `${entry.name} ${(entry.milliseconds * 1000).toFixed(0)} µs`).join(', ')})`,
      );
      return elapsedMs;
    };
    await fullPass('full pass, first readings');
    await advance(300_000);
    const fullMs = await fullPass('full pass, 5 minutes later');

    await advance(300_000);
    const sampled = routerIds.slice(0, options.sampleRouters);
    const calls: Array<{ routerId: number; caller: RouterCaller; uptimeSeconds: number; name: string }> = [];
    for (const [index, routerId] of sampled.entries()) {
      const caller = new RouterConnectionPool((await routersStore.connectionSpec(routerId))!);
      sampledPools.push(caller);
      const { uptimeSeconds } = await new RouterOsClient(caller).routerInfo();
      for (const account of routers[index].accounts) {
        calls.push({ routerId, caller, uptimeSeconds, name: queueNameOf(account) });
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
    log('  (the simulated routers, this process and PostgreSQL share the machine)');
    return { fullPassSeconds: fullMs / 1000, accountsPerSecond: fullRate, perAccountRate };
  } finally {
    await routerConnections.close();
    await Promise.all(sampledPools.map((pool) => pool.close()));
    await stopProcess(simulator);
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
