/**
 * Metering throughput: every static queue counter of many routers, read through the adapter with one
 * print per router, against the per-account way (one `?name=` print per queue) that per-service
 * pollers use. Both passes run against simulated routers in this process over real TCP (or TLS).
 *
 *   npx tsx bench/routeros/index.ts [--routers 100] [--queues 1000] [--slow-routers 3] [--concurrency 16] [--tls]
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_POOL_LIMITS,
  parseCounterPair,
  type PoolLimits,
  RouterConnectionPool,
  RouterConnections,
  type RouterConnectionSpec,
} from '../../routeros';
import { type SimulatedRouter, startRouters } from '../../simulator';
import { cpuShare, mapBounded, positiveInteger, runWhenExecuted } from '../support';

export interface RouterOsBenchmarkOptions {
  routers: number;
  queuesPerRouter: number;
  /** Routers read the slow way; the rest is extrapolated from them. */
  slowRouters: number;
  /** Calls in flight at once, in both passes. */
  concurrency: number;
  tls: boolean;
}

export interface RouterOsBenchmarkResult {
  options: RouterOsBenchmarkOptions;
  queuesRead: number;
  bulkSeconds: number;
  bulkQueuesPerSecond: number;
  perAccountQueuesSampled: number;
  perAccountSeconds: number;
  perAccountQueuesPerSecond: number;
  /** How many times faster one print per router is than one print per account. */
  speedup: number;
}

const POOL_LIMITS: PoolLimits = { ...DEFAULT_POOL_LIMITS, maxConnections: 2, maxInFlightPerConnection: 8 };
/** What a per-service poller asks for: the same properties readQueueCounters prints for every queue. */
const COUNTER_PROPLIST = '=.proplist=name,target,comment,bytes,packets';

const DEFAULT_OPTIONS: RouterOsBenchmarkOptions = {
  routers: 100,
  queuesPerRouter: 1_000,
  slowRouters: 3,
  concurrency: 16,
  tls: false,
};

export async function runRouterOsBenchmark(
  overrides: Partial<RouterOsBenchmarkOptions> = {},
  log: (line: string) => void = console.log,
): Promise<RouterOsBenchmarkResult> {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const setupStarted = performance.now();
  const routers = await startRouters(options.routers, (index) => ({
    identity: `bench-${index}`,
    tls: options.tls,
    seed: index + 1,
  }));
  const pool = new RouterConnections(POOL_LIMITS);
  const slowPools: RouterConnectionPool[] = [];
  try {
    for (const router of routers) populate(router, options.queuesPerRouter);
    const clients = routers.map((router, index) =>
      pool.client(`bench-${index}`, specOf(router, options.tls)),
    );
    await Promise.all(clients.map((client) => client.routerInfo()));
    log(
      `routeros: ${options.routers} simulated routers x ${options.queuesPerRouter} static queues ` +
        `(${options.tls ? 'api-ssl' : 'plain API'}, ${options.concurrency} calls in flight) ready in ` +
        `${seconds(performance.now() - setupStarted)} s`,
    );

    const bulkStarted = performance.now();
    const bulkCpu = process.cpuUsage();
    const counts = await mapBounded(clients, options.concurrency, async (client) => {
      const counters = await client.readQueueCounters();
      return counters.length;
    });
    const bulkMs = performance.now() - bulkStarted;
    const bulkCpuShare = cpuShare(bulkCpu, bulkMs);
    const queuesRead = counts.reduce((sum, count) => sum + count, 0);
    if (queuesRead !== options.routers * options.queuesPerRouter) {
      throw new Error(`read ${queuesRead} queues, expected ${options.routers * options.queuesPerRouter}`);
    }
    const bulkQueuesPerSecond = queuesRead / (bulkMs / 1000);
    log(
      `  one print per router:   ${queuesRead} queues in ${seconds(bulkMs)} s = ` +
        `${Math.round(bulkQueuesPerSecond)} queues/s (process CPU ${bulkCpuShare} of wall time)`,
    );

    const sampled = routers.slice(0, Math.min(options.slowRouters, routers.length)).map((router) => {
      const sampledPool = new RouterConnectionPool(specOf(router, options.tls), POOL_LIMITS);
      slowPools.push(sampledPool);
      return sampledPool;
    });
    const perAccountCalls = sampled.flatMap((routerConnections) =>
      queueNames(options.queuesPerRouter).map((name) => ({ routerConnections, name })),
    );
    const perAccountStarted = performance.now();
    const perAccountCpu = process.cpuUsage();
    await mapBounded(perAccountCalls, options.concurrency, async ({ routerConnections, name }) => {
      const [row] = await routerConnections.call(['/queue/simple/print', `?name=${name}`, COUNTER_PROPLIST]);
      if (!row || !parseCounterPair(row.bytes ?? ''))
        throw new Error(`no counters for ${name} on ${routerConnections.label}`);
    });
    const perAccountMs = performance.now() - perAccountStarted;
    const perAccountCpuShare = cpuShare(perAccountCpu, perAccountMs);
    const perAccountQueuesPerSecond = perAccountCalls.length / (perAccountMs / 1000);
    const speedup = bulkQueuesPerSecond / perAccountQueuesPerSecond;
    log(
      `  one print per account:  ${perAccountCalls.length} queues on ${sampled.length} of ` +
        `${options.routers} routers in ${seconds(perAccountMs)} s = ${Math.round(perAccountQueuesPerSecond)} ` +
        `queues/s (process CPU ${perAccountCpuShare} of wall time)`,
    );
    log(
      `    sampled, then extrapolated: all ${queuesRead} queues one by one would take ` +
        `~${seconds((queuesRead / perAccountQueuesPerSecond) * 1000)} s`,
    );
    log(`  ratio: one print per router is ${speedup.toFixed(1)}x faster than one print per account`);
    log('  (simulated routers and the adapter share this process and its CPU)');
    return {
      options,
      queuesRead,
      bulkSeconds: bulkMs / 1000,
      bulkQueuesPerSecond,
      perAccountQueuesSampled: perAccountCalls.length,
      perAccountSeconds: perAccountMs / 1000,
      perAccountQueuesPerSecond,
      speedup,
    };
  } finally {
    await pool.close();
    await Promise.all(slowPools.map((slowPool) => slowPool.close()));
    await Promise.all(routers.map((router) => router.stop()));
  }
}

function queueNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `vpnflow-${index}`);
}

function populate(router: SimulatedRouter, queues: number): void {
  queueNames(queues).forEach((name, index) => {
    router.addStaticQueue({
      name,
      target: `10.${64 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}/32`,
      maxLimit: '5M/20M',
      comment: `vpnflow service ${index}`,
    });
  });
}

function specOf(router: SimulatedRouter, tls: boolean): RouterConnectionSpec {
  return {
    host: router.host,
    port: tls ? (router.tlsPort ?? 0) : router.apiPort,
    tls: tls ? { fingerprint: router.tlsFingerprint } : false,
    user: router.apiUser,
    password: router.apiPassword,
    timeoutMs: 30_000,
  };
}

function seconds(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(2);
}

/** Command-line entry: parses the flags above and runs the benchmark. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<RouterOsBenchmarkResult> {
  const { values } = parseArgs({
    args: argv,
    options: {
      routers: { type: 'string' },
      queues: { type: 'string' },
      'slow-routers': { type: 'string' },
      concurrency: { type: 'string' },
      tls: { type: 'boolean', default: false },
    },
  });
  return runRouterOsBenchmark({
    routers: positiveInteger('routers', values.routers, DEFAULT_OPTIONS.routers),
    queuesPerRouter: positiveInteger('queues', values.queues, DEFAULT_OPTIONS.queuesPerRouter),
    slowRouters: positiveInteger('slow-routers', values['slow-routers'], DEFAULT_OPTIONS.slowRouters),
    concurrency: positiveInteger('concurrency', values.concurrency, DEFAULT_OPTIONS.concurrency),
    tls: values.tls ?? false,
  });
}

runWhenExecuted(module, main);
