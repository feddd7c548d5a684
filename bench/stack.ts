import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { SecretBox } from '../infra/secret-box';
import type { RouterConnectionSpec } from '../routeros';
import { freePort } from '../scripts/free-port';
import { startTsxProcess, stopProcess, waitForJson } from '../scripts/processes';
import { startDevServer, type DevServer } from '../scripts/temporal-cli';
import { addressesInCidr, createAddressPoolStore } from '../store/address-pool-store';
import { createRoutersStore } from '../store/routers-store';
import { createBenchmarkDatabase } from './support';

interface SimulatedRouterView {
  host: string;
  apiPort: number;
  apiUser: string;
  apiPassword: string;
}

export interface BenchmarkStackOptions {
  /** Names the benchmark's own database. */
  name: string;
  routers: number;
  /** Runs the API too (the provisioning benchmark calls it; others talk to Temporal directly). */
  withApi: boolean;
  /** Keeps Temporal's SQLite in this file, so that its size can be read; default in memory. */
  temporalDbFile?: string;
  /** Writes V8 CPU profiles of the worker and the API here (`node --cpu-prof`). */
  cpuProfileDir?: string;
}

function watched(name: string, child: ChildProcess) {
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2000)));
  child.stdout?.resume();
  return {
    name,
    child,
    alive: () => child.exitCode === null && child.signalCode === null,
    failure: () => `${name} exited (code ${child.exitCode ?? '-'}): ${tail.trim()}`,
  };
}

/**
 * vpnflow as it is deployed, for a benchmark: a Temporal dev server, simulated routers, the worker and
 * (optionally) the API, each a process of its own, on a database of the benchmark's own, with the
 * simulated routers registered and given address pools. `stop()` ends it all and drops the database.
 */
export async function startBenchmarkStack(options: BenchmarkStackOptions) {
  const database = await createBenchmarkDatabase(options.name, 4);
  const dataKey = randomBytes(32).toString('base64');
  const secretBox = new SecretBox(dataKey);
  const processes: ReturnType<typeof watched>[] = [];
  let temporal: DevServer | undefined;
  const alive = () => processes.every((entry) => entry.alive());
  const failure = () =>
    processes
      .filter((entry) => !entry.alive())
      .map((entry) => entry.failure())
      .join('\n');
  const orFailure = (error: unknown) => Promise.reject(alive() ? error : new Error(failure()));
  const stop = async () => {
    await Promise.all(processes.map((entry) => stopProcess(entry.child)));
    await temporal?.stop();
    await database.drop();
  };
  try {
    const [temporalPort, controlPort, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
    temporal = await startDevServer({ port: temporalPort, fastSqlite: true, dbFile: options.temporalDbFile });
    const quiet = ['ignore', 'pipe', 'pipe'] as const;
    processes.push(
      watched(
        'simulator',
        startTsxProcess(
          'simulator/cli.ts',
          [
            ...['--routers', String(options.routers), '--accounts', '0', '--no-tls', '--no-churn'],
            ...['--base-port', '0', '--control-port', String(controlPort)],
          ],
          { stdio: [...quiet] },
        ),
      ),
    );
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `vpnflow-bench-${options.name}`,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      API_METRICS_PORT: String(await freePort()),
      WORKER_METRICS_PORT: String(await freePort()),
      DATA_ENCRYPTION_KEY: dataKey,
      PAYLOAD_CODEC_KEY: randomBytes(32).toString('base64'),
      // Random for each run, as production demands: at least 32 random bytes.
      ADMIN_API_TOKEN: randomBytes(32).toString('base64url'),
      WHMCS_SHARED_SECRET: randomBytes(32).toString('base64url'),
      TEMPORAL_CODEC_TOKEN: randomBytes(32).toString('base64url'),
      WHMCS_CLIENT_AREA_URL: 'https://billing.example.net/clientarea.php',
    };
    const nodeArgs = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
    for (const entry of options.withApi ? ['worker/main.ts', 'api/main.ts'] : ['worker/main.ts']) {
      processes.push(watched(entry, startTsxProcess(entry, [], { stdio: [...quiet], env, nodeArgs })));
    }
    const simulated = await waitForJson<SimulatedRouterView[]>(
      `http://127.0.0.1:${controlPort}/routers`,
      60_000,
      alive,
    ).catch(orFailure);

    const routersStore = createRoutersStore(database.db, secretBox);
    const addresses = createAddressPoolStore(database.db);
    const routerIds: number[] = [];
    for (const [index, router] of simulated.entries()) {
      const saved = await routersStore.create({
        name: `bench-${index}`,
        apiHost: router.host,
        apiPort: router.apiPort,
        tls: false,
        allowPlainApi: true,
        tlsFingerprint: null,
        apiUser: router.apiUser,
        apiPassword: router.apiPassword,
        publicHostname: `bench-${index}.example.net`,
        capacity: 100_000,
        enabled: true,
      });
      await addresses.add(saved.id, addressesInCidr(`10.${100 + index}.0.0/18`), 'private');
      routerIds.push(saved.id);
    }
    const specs: RouterConnectionSpec[] = await Promise.all(
      routerIds.map(async (id) => (await routersStore.connectionSpec(id))!),
    );
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    if (options.withApi) await waitForJson(`${apiUrl}/healthz`, 60_000, alive).catch(orFailure);
    const pidOf = (name: string) => processes.find((entry) => entry.name === name)?.child.pid;
    return {
      database,
      db: database.db,
      temporal,
      env,
      secretBox,
      routerIds,
      specs,
      controlPort,
      apiUrl,
      alive,
      failure,
      /** The process ids the CPU accounting follows. */
      pids: {
        'Temporal server': temporal.process.pid,
        worker: pidOf('worker/main.ts'),
        API: pidOf('api/main.ts'),
        'simulated routers': pidOf('simulator'),
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type BenchmarkStack = Awaited<ReturnType<typeof startBenchmarkStack>>;
