/**
 * How far past its balance an account gets before vpnflow cuts it: accounts on simulated routers run
 * out of traffic at random moments at 1 to 1,000 Mbit/s. Two arms in one run, each on routers of its
 * own: close watching (vpnflow now), and enforcement only at each 5-minute metering pass (vpnflow
 * before). The stack runs as deployed, each part a process of its own (test/faults/process-stack.ts).
 *
 * What is simulated: traffic moves on the routers' virtual clocks. The close-watching arm drives them
 * with the wall clock (20 ms ticks), so its reads, records and cuts are measured in real time. The
 * pass arm skips the minutes between passes and runs in real time from each pass until its cuts.
 *
 *   npx tsx bench/enforcement/index.ts [--services 1000] [--routers 10] [--window-seconds 120] [--seed 7]
 */
import { parseArgs } from 'node:util';
import { mbpsToBps } from '../../domain/rate-limit';
import { startRouter, type SimulatedRouter } from '../../simulator';
import { createPrng } from '../../simulator/traffic';
import { FAULTS_TASK_QUEUE, startProcessStack, type ProcessStack } from '../../test/faults/process-stack';
import { METERING_SCHEDULE_ID } from '../../worker/schedules';
import { closeWatchWorkflow, meteringWorkflow } from '../../workflows';
import { closeWatchWorkflowId } from '../../workflows/close-watch';
import { mapBounded, positiveInteger, runWhenExecuted } from '../support';

export interface EnforcementBenchmarkOptions {
  /** Services in each arm. */
  services: number;
  /** Routers in each arm. */
  routers: number;
  /** Close watching: accounts run out between 10 s and this long after they connect. */
  windowSeconds: number;
  seed: number;
}

const DEFAULT_OPTIONS: EnforcementBenchmarkOptions = {
  services: 1_000,
  routers: 10,
  windowSeconds: 120,
  seed: 7,
};
const PASS_INTERVAL_MS = 5 * 60_000;
const PASSES = 2;
const TICK_MS = 20;
const PASSWORD = 'Bench-Passw0rd';
const BANDS = [
  { name: '1–10 Mbit/s', below: 10 },
  { name: '10–100 Mbit/s', below: 100 },
  { name: '100–1000 Mbit/s', below: Infinity },
];

/** One account of an arm: its speed, its balance, and what happened to it. */
interface Account {
  serviceId: number;
  username: string;
  router: SimulatedRouter;
  downloadMbps: number;
  /** Bytes a second at its full speed, both directions together. */
  bytesPerSecond: number;
  balanceBytes: bigint;
  /** When it ran out and when it was cut, in its router's virtual milliseconds. */
  outAtMs?: number;
  cutAtMs?: number;
  overageBytes?: bigint;
}

interface Arm {
  name: string;
  routers: Array<{ router: SimulatedRouter; routerId: number }>;
  accounts: Account[];
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], fraction: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];

const usedBy = (account: Account) => {
  const { uploadBytes, downloadBytes } = account.router.groundTruth(account.username);
  return uploadBytes + downloadBytes;
};

async function createArm(
  stack: ProcessStack,
  name: string,
  options: EnforcementBenchmarkOptions,
  random: () => number,
  secondsToRunOut: () => number,
  firstServiceId: number,
): Promise<Arm> {
  const routers: Arm['routers'] = [];
  for (let index = 0; index < options.routers; index += 1) {
    const router = await startRouter({ seed: options.seed + index });
    const created = await stack.admin('POST', '/v1/admin/routers', {
      name: `${name}-${index}`,
      apiHost: router.host,
      apiPort: router.apiPort,
      tls: false,
      apiUser: router.apiUser,
      apiPassword: router.apiPassword,
      publicHostname: `${name}-${index}.example.net`,
    });
    if (created.status !== 201) throw new Error(`router not added: ${JSON.stringify(created.body)}`);
    const routerId = created.body.id as number;
    await stack.admin('POST', `/v1/admin/routers/${routerId}/addresses`, {
      cidr: `10.${name === 'watch' ? 70 : 90}.${index}.0/24`,
    });
    routers.push({ router, routerId });
  }
  const plans = Array.from({ length: options.services }, (_, index) => {
    // Speeds spread evenly on a log scale from 1 to 1,000 Mbit/s; upload a tenth of download.
    const downloadMbps = Math.round(10 ** (3 * random()) * 1000) / 1000;
    const uploadMbps = Math.max(0.1, Math.round(downloadMbps * 100) / 1000);
    const bytesPerSecond = (mbpsToBps(downloadMbps) + mbpsToBps(uploadMbps)) / 8;
    // The balance lasts `secondsToRunOut` at full speed; GB have three decimals, so whole megabytes.
    const megabytes = Math.ceil((bytesPerSecond * secondsToRunOut()) / 1e6);
    return { index, downloadMbps, uploadMbps, bytesPerSecond, megabytes };
  });
  const accounts = await mapBounded(plans, 20, async (plan) => {
    const serviceId = firstServiceId + plan.index;
    const { router, routerId } = routers[plan.index % routers.length];
    const username = `${name}${serviceId}`;
    const answer = await stack.whmcs('POST', '/v1/whmcs/services', {
      serviceId,
      clientId: 900,
      clientEmail: `${username}@example.net`,
      routerId,
      username,
      password: PASSWORD,
      product: {
        pppService: 'l2tp',
        downloadMbps: plan.downloadMbps,
        uploadMbps: plan.uploadMbps,
        trafficGb: { monthly: plan.megabytes / 1000 },
        lowBalanceThresholdGb: 0,
      },
      billingCycle: 'Monthly',
    });
    if (answer.body?.outcome !== 'applied')
      throw new Error(`create ${serviceId}: ${JSON.stringify(answer.body)}`);
    return {
      serviceId,
      username,
      router,
      downloadMbps: plan.downloadMbps,
      bytesPerSecond: plan.bytesPerSecond,
      balanceBytes: BigInt(plan.megabytes) * 1_000_000n,
    };
  });
  return { name, routers, accounts };
}

/** Every account online at once, faster than its queue allows: it moves at exactly its speed. */
function connectAll(arm: Arm): void {
  for (const account of arm.accounts) {
    account.router.connectSession(account.username, PASSWORD, { service: 'l2tp' });
    account.router.setTrafficRate(account.username, {
      uploadBytesPerSecond: 1e10,
      downloadBytesPerSecond: 1e10,
    });
    account.outAtMs = account.router.uptime + (Number(account.balanceBytes) / account.bytesPerSecond) * 1000;
  }
}

/** Notes every account whose session is gone: cut, with what it had used by then. */
function noteCuts(arm: Arm): void {
  for (const { router } of arm.routers) {
    const online = new Set(router.activeSessions().map((session) => session.name));
    for (const account of arm.accounts) {
      const waiting = account.outAtMs !== undefined && account.cutAtMs === undefined;
      if (account.router !== router || !waiting || online.has(account.username)) continue;
      account.cutAtMs = router.uptime;
      account.overageBytes = usedBy(account) - account.balanceBytes;
    }
  }
}

/** Drives the arm's clocks with the wall clock until `done` holds or `timeoutMs` passes. */
async function inRealTime(arm: Arm, done: () => boolean, timeoutMs: number): Promise<void> {
  let last = Date.now();
  const deadline = last + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    const now = Date.now();
    for (const { router } of arm.routers) router.advance(now - last);
    last = now;
    noteCuts(arm);
  }
}

function commandsOf(arm: Arm): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { router } of arm.routers) {
    for (const [command, count] of Object.entries(router.commandsReceived())) {
      totals.set(command, (totals.get(command) ?? 0) + count);
    }
  }
  return totals;
}

function perMinute(before: Map<string, number>, after: Map<string, number>, minutes: number) {
  const rates = [...after].map(
    ([command, count]) => [command, (count - (before.get(command) ?? 0)) / minutes] as const,
  );
  const total = rates.reduce((sum, [, rate]) => sum + rate, 0);
  const byCommand = rates
    .filter(([, rate]) => rate > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([command, rate]) => `${command} ${rate.toFixed(0)}`)
    .join(', ');
  return { total, byCommand };
}

function report(arm: Arm, log: (line: string) => void) {
  const cut = arm.accounts.filter((account) => account.cutAtMs !== undefined);
  const seconds = (account: Account) => Number(account.overageBytes!) / account.bytesPerSecond;
  const bytesText = (bytes: number) =>
    bytes >= 1e9
      ? `${(bytes / 1e9).toFixed(2)} GB`
      : bytes >= 1e6
        ? `${(bytes / 1e6).toFixed(1)} MB`
        : `${(bytes / 1e3).toFixed(0)} kB`;
  let lowerBand = 1;
  const worstP99: number[] = [];
  for (const band of BANDS) {
    const members = cut.filter(
      (account) => account.downloadMbps >= lowerBand && account.downloadMbps < band.below,
    );
    lowerBand = band.below;
    if (members.length === 0) continue;
    const bytes = members.map((account) => Number(account.overageBytes!)).sort((a, b) => a - b);
    const inSeconds = members.map(seconds).sort((a, b) => a - b);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    worstP99.push(percentile(inSeconds, 0.99));
    log(
      `    ${band.name.padEnd(16)} n=${String(members.length).padStart(4)}  overage max ${bytesText(bytes.at(-1)!)} ` +
        `(${inSeconds.at(-1)!.toFixed(2)} s), p99 ${bytesText(percentile(bytes, 0.99))} ` +
        `(${percentile(inSeconds, 0.99).toFixed(2)} s), mean ${bytesText(mean(bytes))} (${mean(inSeconds).toFixed(2)} s)`,
    );
  }
  const latencies = cut.map((account) => (account.cutAtMs! - account.outAtMs!) / 1000).sort((a, b) => a - b);
  log(
    `    exhaustion to cut: p50 ${percentile(latencies, 0.5).toFixed(2)} s, p99 ${percentile(latencies, 0.99).toFixed(2)} s; ` +
      `${cut.length} of ${arm.accounts.length} cut, none before its balance ran out: ` +
      `${cut.every((account) => account.overageBytes! >= 0n)}`,
  );
  return Math.max(...worstP99);
}

export async function runEnforcementBenchmark(
  overrides: Partial<EnforcementBenchmarkOptions> = {},
  log: (line: string) => void = console.log,
) {
  const options = { ...DEFAULT_OPTIONS, ...overrides };
  const random = createPrng(options.seed);
  const stack = await startProcessStack();
  const stopped: SimulatedRouter[] = [];
  try {
    await stack.client.schedule.getHandle(METERING_SCHEDULE_ID).pause('bench/enforcement drives its passes');
    const started = performance.now();
    const watched = await createArm(
      stack,
      'watch',
      options,
      random,
      () => 10 + random() * (options.windowSeconds - 10),
      1_000_001,
    );
    const passed = await createArm(
      stack,
      'pass',
      options,
      random,
      () => 1 + random() * ((PASSES * PASS_INTERVAL_MS) / 1000 - 1),
      2_000_001,
    );
    stopped.push(...[...watched.routers, ...passed.routers].map(({ router }) => router));
    log(
      `enforcement: ${options.services} services on ${options.routers} simulated routers in each arm, ` +
        `1–1,000 Mbit/s; created through the WHMCS API in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );

    // Close watching, in real time.
    const watches = await Promise.all(
      watched.routers.map(({ routerId }) =>
        stack.client.workflow.start(closeWatchWorkflow, {
          taskQueue: FAULTS_TASK_QUEUE,
          workflowId: closeWatchWorkflowId(routerId),
          args: [{ routerId }],
        }),
      ),
    );
    await inRealTime(watched, () => false, 5_000);
    const idleFrom = commandsOf(watched);
    await inRealTime(watched, () => false, 30_000);
    const idle = perMinute(idleFrom, commandsOf(watched), 0.5);
    const busyFrom = commandsOf(watched);
    const busyStarted = Date.now();
    connectAll(watched);
    await inRealTime(
      watched,
      () => watched.accounts.every((account) => account.cutAtMs !== undefined),
      (options.windowSeconds + 60) * 1000,
    );
    const busy = perMinute(busyFrom, commandsOf(watched), (Date.now() - busyStarted) / 60_000);
    await Promise.all(watches.map((handle) => handle.terminate('benchmark done')));
    log(`  close watching (polled every second or sooner, cut by the service workflow):`);
    const watchedP99 = report(watched, log);
    log(
      `    router API calls/min for ${options.services} near-empty accounts: ${idle.total.toFixed(0)} at rest (${idle.byCommand}); ` +
        `${busy.total.toFixed(0)} while they ran out (${busy.byCommand})`,
    );

    // Enforcement at each 5-minute pass: the minutes between passes are skipped, the reaction is real.
    const passFrom = commandsOf(passed);
    connectAll(passed);
    let virtualMs = 0;
    for (let pass = 1; pass <= PASSES; pass += 1) {
      while (virtualMs < pass * PASS_INTERVAL_MS) {
        const step = Math.min(1_000, pass * PASS_INTERVAL_MS - virtualMs);
        for (const { router } of passed.routers) router.advance(step);
        virtualMs += step;
      }
      noteCuts(passed);
      const run = stack.client.workflow.execute(meteringWorkflow, {
        taskQueue: FAULTS_TASK_QUEUE,
        workflowId: `bench-pass-${pass}-${Date.now()}`,
        args: [{ routerIds: passed.routers.map(({ routerId }) => routerId) }],
      });
      const passStart = passed.routers[0].router.uptime;
      const spent = () =>
        passed.accounts.filter((account) => account.outAtMs! <= passStart && account.cutAtMs === undefined);
      await inRealTime(passed, () => spent().length === 0, 60_000);
      await run;
      virtualMs += passed.routers[0].router.uptime - passStart;
    }
    const passes = perMinute(passFrom, commandsOf(passed), virtualMs / 60_000);
    log(`  enforcement only at each 5-minute pass (vpnflow before close watching):`);
    const passedP99 = report(passed, log);
    log(`    router API calls/min: ${passes.total.toFixed(1)} (${passes.byCommand})`);
    log(
      `  p99 overage in seconds of an account's speed, worst band: close watching ${watchedP99.toFixed(2)} s ` +
        `against ${passedP99.toFixed(0)} s at each pass (goal: at most 2 s)`,
    );
    return { watchedP99, passedP99 };
  } finally {
    await stack.close();
    await Promise.all(stopped.map((router) => router.stop()));
  }
}

/** Command-line entry: parses the flags above and runs the benchmark. */
export async function main(argv: string[] = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      services: { type: 'string' },
      routers: { type: 'string' },
      'window-seconds': { type: 'string' },
      seed: { type: 'string' },
    },
  });
  return runEnforcementBenchmark({
    services: positiveInteger('services', values.services, DEFAULT_OPTIONS.services),
    routers: positiveInteger('routers', values.routers, DEFAULT_OPTIONS.routers),
    windowSeconds: positiveInteger('window-seconds', values['window-seconds'], DEFAULT_OPTIONS.windowSeconds),
    seed: positiveInteger('seed', values.seed, DEFAULT_OPTIONS.seed),
  });
}

runWhenExecuted(module, main);
