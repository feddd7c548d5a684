/**
 * 1,000 services created through the WHMCS API across 10 simulated routers, with the stack run as it
 * is deployed — Temporal dev server, the simulated routers, `worker/main.ts` and `api/main.ts`, each a
 * process of its own — against the same work done the way a synchronous PHP module does it: one
 * service after another, each a fresh router login and then one call after another.
 *
 *   npx tsx bench/provision/index.ts [--services 1000] [--routers 10] [--concurrency 20]
 *                                    [--router-rtt-ms 20] [--synchronous-sample 200] [--cpu-prof-dir DIR]
 *
 * DATABASE_URL picks the PostgreSQL server; a database of its own is created and dropped.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { encryptedDataConverter, PayloadEncryptionCodec } from '../../infra/payload-codec';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import { statusQuery } from '../../workflows/vpn-service/messages';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { ownedByService, routerAccountSpecs } from '../../activities/service-activities';
import { signWhmcsRequest } from '../../api/whmcs-signature';
import { cycleGrantFor } from '../../domain/cycle-grants';
import { desiredAccount } from '../../domain/desired-account';
import { parseProductSettings, type ProductSettingsInput } from '../../domain/product-settings';
import { createServiceState } from '../../domain/service-state';
import { SecretBox } from '../../infra/secret-box';
import { RouterConnectionPool, RouterOsClient } from '../../routeros';
import { startCpuAccount } from '../cpu-accounting';
import { startBenchmarkStack } from '../stack';
import { createAddressPoolStore } from '../../store/address-pool-store';
import { createLedgerStore } from '../../store/ledger-store';
import { createServicesStore, type ServiceRecord } from '../../store/services-store';
import { mapBounded, nonNegativeInteger, positiveInteger, runWhenExecuted } from '../support';

export interface ProvisionBenchmarkOptions {
  services: number;
  routers: number;
  /** Creates in flight at once, as WHMCS sends them for orders accepted together. */
  concurrency: number;
  /** The second round delays every router reply by this much, as a router in another data centre would; 0 skips it. */
  routerRttMs: number;
  /** Creates the synchronous module makes in the second round; the rest is extrapolated. */
  synchronousSample: number;
  /** Writes V8 CPU profiles of the worker and the API here (`node --cpu-prof`). */
  cpuProfileDir?: string;
}

const DEFAULT_OPTIONS: ProvisionBenchmarkOptions = {
  services: 1_000,
  routers: 10,
  concurrency: 20,
  routerRttMs: 20,
  synchronousSample: 200,
};
const PRODUCT: ProductSettingsInput = {
  pppService: 'l2tp',
  downloadMbps: 50,
  uploadMbps: 10,
  trafficGb: { monthly: 100 },
};

/** Services whose histories are read for the shape of a create. */
const HISTORY_SAMPLE = 20;

/** Nearest-rank percentile of already sorted values. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

const milliseconds = (value: number) => `${value.toFixed(1)} ms`;
const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;

/** The WHMCS side: signed create requests to the API, as the PHP module sends them. */
function whmcsClient(apiUrl: string, secret: string) {
  return async (body: unknown): Promise<{ status: number; outcome?: string; text: string }> => {
    const path = '/v1/whmcs/services';
    const raw = JSON.stringify(body);
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = randomUUID();
    const response = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-vpnflow-timestamp': String(timestamp),
        'x-vpnflow-nonce': nonce,
        'x-vpnflow-signature': signWhmcsRequest(secret, {
          timestamp,
          nonce,
          method: 'POST',
          path,
          body: raw,
        }),
      },
      body: raw,
    });
    const text = await response.text();
    const outcome = response.ok ? (JSON.parse(text) as { outcome?: string }).outcome : undefined;
    return { status: response.status, outcome, text };
  };
}

function createRequest(serviceId: number, routerId: number) {
  return {
    serviceId,
    clientId: 10_000 + serviceId,
    clientEmail: `client${serviceId}@example.net`,
    routerId,
    username: `bench${serviceId}`,
    password: `pw-${serviceId}-${randomBytes(6).toString('hex')}`,
    product: PRODUCT,
    billingCycle: 'Monthly',
  };
}

/**
 * What a synchronous module does for one create, in order: claim an address, log in to the router,
 * add the secret and the queue and read both back (one call after another), log out, then write the
 * service and its first grant. The router and database work is the same as the workflow's.
 */
async function provisionSynchronously(
  deps: {
    secretBox: SecretBox;
    services: ReturnType<typeof createServicesStore>;
    addresses: ReturnType<typeof createAddressPoolStore>;
    ledger: ReturnType<typeof createLedgerStore>;
    connectionSpec: (routerId: number) => Promise<ConstructorParameters<typeof RouterConnectionPool>[0]>;
  },
  request: ReturnType<typeof createRequest>,
): Promise<void> {
  const created = createServiceState({
    serviceId: request.serviceId,
    clientId: request.clientId,
    whmcsUsername: request.username,
    sealedPassword: deps.secretBox.seal(request.password),
    product: parseProductSettings(request.product),
    billingCycle: 'monthly',
  });
  if (!created.ok) throw new Error(created.message);
  const state = created.state;
  const record: ServiceRecord = {
    serviceId: request.serviceId,
    clientId: request.clientId,
    clientEmail: request.clientEmail,
    clientLanguage: 'english',
    product: state.product,
    routerId: request.routerId,
    username: state.username,
    passwordSealed: state.sealedPassword,
    addressId: null,
    status: 'provisioning',
    suspensionReasons: [],
    billingCycle: state.billingCycle,
    nextDueDate: null,
    revision: 1,
  };
  await deps.services.save(record);
  const address = await deps.addresses.allocate(request.routerId, request.serviceId);
  const { secret, queue } = routerAccountSpecs(desiredAccount(state), address.address, request.password);
  const connection = new RouterConnectionPool(await deps.connectionSpec(request.routerId), {
    maxConnections: 1,
    maxInFlightPerConnection: 1,
    reconnectBackoffMs: { initial: 500, max: 15_000 },
  });
  try {
    const router = new RouterOsClient(connection);
    const owner = ownedByService(request.serviceId);
    await router.ensureSecret(secret, owner);
    await router.ensureStaticQueue(queue, owner);
    const storedSecret = await router.readSecret(secret.name);
    const storedQueue = await router.readStaticQueue(queue.name);
    if (!storedSecret || !storedQueue) throw new Error(`router lost the account ${secret.name}`);
  } finally {
    await connection.close();
  }
  const grant = cycleGrantFor(state, new Date().toISOString());
  if (grant) {
    await deps.ledger.append({
      serviceId: request.serviceId,
      kind: 'cycle_grant',
      deltaBytes: grant.bytes,
      idempotencyKey: grant.key,
      description: 'first cycle',
      invoiceRef: null,
    });
  }
  await deps.services.save({
    ...record,
    addressId: String(address.addressId),
    status: 'active',
    revision: 2,
  });
}

/** Secrets and queues with the prefix on each router, read over the RouterOS API. */
async function accountsOnRouters(
  specs: ConstructorParameters<typeof RouterConnectionPool>[0][],
  usernamePrefix: string,
): Promise<{ secrets: number; queues: number }> {
  let secrets = 0;
  let queues = 0;
  for (const spec of specs) {
    const connection = new RouterConnectionPool(spec);
    try {
      const secretRows = await connection.call(['/ppp/secret/print', '=.proplist=name']);
      const queueRows = await connection.call(['/queue/simple/print', '=.proplist=name']);
      secrets += secretRows.filter((row) => row.name?.startsWith(usernamePrefix)).length;
      queues += queueRows.filter((row) => row.name?.startsWith(usernamePrefix)).length;
    } finally {
      await connection.close();
    }
  }
  return { secrets, queues };
}

type EventType = proto.api.enums.v1.EventType;
const EVENT_TYPE = proto.api.enums.v1.EventType;

/**
 * What Temporal does for one create, from the histories of a sample of services: events, workflow
 * tasks, activities (dispatched by Temporal) and local activities (markers, run inside a workflow task).
 */
async function historyShape(client: Client, serviceIds: readonly number[]) {
  const totals = { events: 0, workflowTasks: 0, activities: 0, localActivities: 0 };
  const count = (types: EventType[], type: EventType) => types.filter((each) => each === type).length;
  for (const serviceId of serviceIds) {
    const history = await client.workflow.getHandle(serviceWorkflowId(serviceId)).fetchHistory();
    // Nothing happens to a service after its create here, so its whole history is the create's.
    const types = (history.events ?? []).map((event) => event.eventType!);
    totals.events += types.length;
    totals.workflowTasks += count(types, EVENT_TYPE.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    totals.activities += count(types, EVENT_TYPE.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    totals.localActivities += count(types, EVENT_TYPE.EVENT_TYPE_MARKER_RECORDED);
  }
  const mean = (value: number) => (value / serviceIds.length).toFixed(1);
  return (
    `${mean(totals.events)} history events, ${mean(totals.workflowTasks)} workflow tasks, ` +
    `${mean(totals.activities)} activities, ${mean(totals.localActivities)} local activities (database)`
  );
}

export async function runProvisionBenchmark(
  overrides: Partial<ProvisionBenchmarkOptions> = {},
  log: (line: string) => void = console.log,
) {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const setupStarted = performance.now();
  const stack = await startBenchmarkStack({
    name: 'provision',
    routers: options.routers,
    withApi: true,
    cpuProfileDir: options.cpuProfileDir,
  });
  const { db, routerIds, specs, secretBox, controlPort } = stack;
  const temporalClient = new Client({
    connection: await Connection.connect({ address: stack.temporal.address }),
    dataConverter: encryptedDataConverter(new PayloadEncryptionCodec([stack.env.PAYLOAD_CODEC_KEY])),
  });
  try {
    const create = whmcsClient(stack.apiUrl, stack.env.WHMCS_SHARED_SECRET);
    const requireApplied = (answer: Awaited<ReturnType<typeof create>>, serviceId: number) => {
      if (answer.outcome !== 'applied') {
        throw new Error(`create of service ${serviceId} answered ${answer.status}: ${answer.text}`);
      }
    };
    // One create per router first, so the worker has bundled its workflows and opened its connections.
    for (const [index, routerId] of routerIds.entries()) {
      const serviceId = options.services + 1 + index;
      const deadline = Date.now() + 120_000;
      let answer = await create(createRequest(serviceId, routerId));
      while (answer.outcome !== 'applied' && Date.now() < deadline && stack.alive()) {
        answer = await create(createRequest(serviceId, routerId));
      }
      if (!stack.alive()) throw new Error(stack.failure());
      requireApplied(answer, serviceId);
    }
    log(
      `provision: ${options.services} services through the WHMCS API on ${options.routers} simulated routers; ` +
        `Temporal, routers, worker and API each in a process of their own, ready in ${seconds(performance.now() - setupStarted)}`,
    );

    const synchronousDeps = {
      secretBox,
      services: createServicesStore(db),
      addresses: createAddressPoolStore(db),
      ledger: createLedgerStore(db),
      connectionSpec: async (routerId: number) => specs[routerIds.indexOf(routerId)],
    };
    let nextServiceId = options.services + routerIds.length + 1;
    const takeIds = (count: number) => {
      const ids = Array.from({ length: count }, (_, index) => nextServiceId + index);
      nextServiceId += count;
      return ids;
    };

    /** Every create through the API, `concurrency` in flight; checks the routers and database after. */
    const throughApi = async (label: string) => {
      const ids = takeIds(options.services);
      const prefix = `bench${label}x`;
      const latencies: number[] = [];
      const cpu = startCpuAccount(stack.pids);
      const started = performance.now();
      await mapBounded(ids, options.concurrency, async (serviceId) => {
        const request = {
          ...createRequest(serviceId, routerIds[serviceId % routerIds.length]),
          username: `${prefix}${serviceId}`,
        };
        const requestStarted = performance.now();
        const answer = await create(request);
        latencies.push(performance.now() - requestStarted);
        requireApplied(answer, serviceId);
      });
      const elapsedMs = performance.now() - started;
      const onRouters = await accountsOnRouters(specs, prefix);
      const [{ active }] = await db('services')
        .where({ status: 'active' })
        .whereIn('id', ids)
        .count({ active: '*' });
      if (
        onRouters.secrets !== ids.length ||
        onRouters.queues !== ids.length ||
        Number(active) !== ids.length
      ) {
        const others = await db('services')
          .whereNot({ status: 'active' })
          .whereIn('id', ids)
          .limit(5)
          .select('id', 'status', 'revision', 'updated_at', 'address_id');
        for (const row of others) {
          const handle = temporalClient.workflow.getHandle(serviceWorkflowId(Number(row.id)));
          const view = await handle.query(statusQuery).catch((error: unknown) => String(error));
          const history = await handle.fetchHistory();
          log(
            `    not active in the database: ${JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
          );
          log(`      workflow: ${JSON.stringify(view)}`);
          log(
            `      events: ${history.events?.map((event) => `${event.eventId}:${proto.api.enums.v1.EventType[event.eventType!]}`).join(' ')}`,
          );
        }
        throw new Error(
          `after the run the routers hold ${onRouters.secrets} secrets and ${onRouters.queues} queues and ` +
            `the database ${active} active services, of ${ids.length}`,
        );
      }
      const cpuPerCreate = cpu.perUnit(ids.length);
      latencies.sort((a, b) => a - b);
      const rate = ids.length / (elapsedMs / 1000);
      log(
        `    vpnflow: ${ids.length} creates, ${options.concurrency} in flight, in ${seconds(elapsedMs)} = ` +
          `${rate.toFixed(1)} services/s; create latency p50 ${milliseconds(percentile(latencies, 0.5))}, ` +
          `p99 ${milliseconds(percentile(latencies, 0.99))}`,
      );
      log(
        `    CPU per create: ${cpuPerCreate.reduce((sum, entry) => sum + entry.milliseconds, 0).toFixed(1)} ms — ` +
          cpuPerCreate.map((entry) => `${entry.name} ${entry.milliseconds.toFixed(1)} ms`).join(', '),
      );
      log(
        `    per create, from ${HISTORY_SAMPLE} histories: ${await historyShape(temporalClient, ids.slice(0, HISTORY_SAMPLE))}`,
      );
      return rate;
    };

    /** `count` creates one after another, each the way a synchronous module does it; checked after. */
    const oneAfterAnother = async (label: string, count: number) => {
      const ids = takeIds(count);
      const prefix = `sync${label}x`;
      const latencies: number[] = [];
      const started = performance.now();
      for (const serviceId of ids) {
        const requestStarted = performance.now();
        await provisionSynchronously(synchronousDeps, {
          ...createRequest(serviceId, routerIds[serviceId % routerIds.length]),
          username: `${prefix}${serviceId}`,
        });
        latencies.push(performance.now() - requestStarted);
      }
      const elapsedMs = performance.now() - started;
      const onRouters = await accountsOnRouters(specs, prefix);
      if (onRouters.secrets !== count || onRouters.queues !== count) {
        throw new Error(`the synchronous pass left ${JSON.stringify(onRouters)} on the routers, of ${count}`);
      }
      latencies.sort((a, b) => a - b);
      const rate = count / (elapsedMs / 1000);
      const extrapolated =
        count < options.services
          ? `; all ${options.services} would take ~${seconds((options.services / rate) * 1000)} (extrapolated)`
          : '';
      log(
        `    synchronous module: ${count} creates one after another in ${seconds(elapsedMs)} = ` +
          `${rate.toFixed(1)} services/s; per create p50 ${milliseconds(percentile(latencies, 0.5))}, ` +
          `p99 ${milliseconds(percentile(latencies, 0.99))}${extrapolated}`,
      );
      return rate;
    };

    const setRouterLatency = async (milliseconds: number) => {
      for (const index of routerIds.keys()) {
        const response = await fetch(`http://127.0.0.1:${controlPort}/routers/${index}/fault`, {
          method: milliseconds > 0 ? 'PUT' : 'DELETE',
          headers: { 'content-type': 'application/json' },
          body: milliseconds > 0 ? JSON.stringify({ kind: 'latency', milliseconds }) : undefined,
        });
        if (!response.ok) throw new Error(`router ${index} refused the latency: ${await response.text()}`);
      }
    };

    const rounds: Array<{ rttMs: number; vpnflow: number; synchronous: number }> = [];
    for (const rttMs of options.routerRttMs > 0 ? [0, options.routerRttMs] : [0]) {
      await setRouterLatency(rttMs);
      log(
        rttMs === 0
          ? '  routers on this machine, answering at once (the best case for a synchronous module):'
          : `  routers across a WAN: every reply ${rttMs} ms later, as from a router in another data centre:`,
      );
      const vpnflow = await throughApi(String(rttMs));
      // With latency one create takes many round trips, so a sample is timed and the rest extrapolated.
      const synchronous = await oneAfterAnother(
        String(rttMs),
        rttMs === 0 ? options.services : Math.min(options.services, options.synchronousSample),
      );
      log(`    ratio: vpnflow provisions ${(vpnflow / synchronous).toFixed(1)}x the services per second`);
      rounds.push({ rttMs, vpnflow, synchronous });
    }
    log(
      `  (one machine with ${cpus().length} cores runs Temporal, PostgreSQL, the simulated routers, worker and API; ` +
        'vpnflow is CPU-bound here, the synchronous module waits on each router reply in turn)',
    );
    return rounds;
  } finally {
    await temporalClient.connection.close();
    await stack.stop();
  }
}

/** Command-line entry: parses the flags above and runs the benchmark. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      services: { type: 'string' },
      routers: { type: 'string' },
      concurrency: { type: 'string' },
      'router-rtt-ms': { type: 'string' },
      'synchronous-sample': { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
    },
  });
  return runProvisionBenchmark({
    services: positiveInteger('services', values.services, DEFAULT_OPTIONS.services),
    routers: positiveInteger('routers', values.routers, DEFAULT_OPTIONS.routers),
    concurrency: positiveInteger('concurrency', values.concurrency, DEFAULT_OPTIONS.concurrency),
    routerRttMs: nonNegativeInteger('router-rtt-ms', values['router-rtt-ms'], DEFAULT_OPTIONS.routerRttMs),
    synchronousSample: positiveInteger(
      'synchronous-sample',
      values['synchronous-sample'],
      DEFAULT_OPTIONS.synchronousSample,
    ),
    cpuProfileDir: values['cpu-prof-dir'],
  });
}

runWhenExecuted(module, main);
