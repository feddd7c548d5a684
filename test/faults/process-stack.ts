import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { signWhmcsRequest } from '../../api/whmcs-signature';
import { createDatabase, ensureDatabaseExists, migrateLatest, type Database } from '../../infra/database';
import { encryptedDataConverter, PayloadEncryptionCodec } from '../../infra/payload-codec';
import { freePort } from '../../scripts/free-port';
import { waitForJson } from '../../scripts/processes';
import { startDevServer, type DevServer } from '../../scripts/temporal-cli';
import { ProcessUnderTest } from '../helpers/process-under-test';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';

/*
 * vpnflow as it is deployed, each part a process of its own that a test can kill: a PostgreSQL cluster
 * in a temporary directory (never the machine's shared server), a Temporal dev server with a database
 * file, the worker and the API (`worker/main.ts`, `api/main.ts`). Simulated routers and the SMTP
 * server stay in the test's process, where their ground truth and faults are at hand.
 */

const run = promisify(execFile);

/** Debian's PostgreSQL binaries, newest version first. */
async function postgresBin(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0)
    throw new Error('no PostgreSQL in /usr/lib/postgresql: apt-get install postgresql');
  return path.join('/usr/lib/postgresql', versions[0], 'bin');
}

/**
 * A PostgreSQL cluster of the test's own. initdb refuses to run as root, so under root every
 * PostgreSQL program runs as the `postgres` user, which owns the directory.
 */
export class PostgresCluster {
  private constructor(
    private readonly bin: string,
    private readonly directory: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PostgresCluster> {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'vpnflow-faults-pg-'));
    const cluster = new PostgresCluster(await postgresBin(), directory, await freePort());
    if (process.getuid?.() === 0) {
      const [uid, gid] = await Promise.all(
        ['-u', '-g'].map(async (flag) => Number((await run('id', [flag, 'postgres'])).stdout.trim())),
      );
      await chown(directory, uid, gid);
    }
    await cluster.pg('initdb', ['-D', cluster.dataDirectory, '-U', 'postgres', '-A', 'trust', '--no-sync']);
    await cluster.start();
    return cluster;
  }

  private get dataDirectory(): string {
    return path.join(this.directory, 'data');
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.directory} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const log = path.join(this.directory, 'server.log');
    await this.pg('pg_ctl', ['-D', this.dataDirectory, '-l', log, '-o', options, '-w', 'start']);
  }

  /** A fast shutdown: every session is ended at once, as when the server goes away. */
  async stop(): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDirectory, '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    await rm(this.directory, { recursive: true, force: true });
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const binary = path.join(this.bin, program);
    const [command, commandArgs] =
      process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
    await run(command, commandArgs, { cwd: this.directory });
  }
}

export const FAULTS_TASK_QUEUE = 'vpnflow-faults';

/** The whole stack, each part in its own process, on free ports; `close` stops and removes it all. */
export async function startProcessStack() {
  const postgres = await PostgresCluster.create();
  const databaseUrl = postgres.url('vpnflow');
  await ensureDatabaseExists(databaseUrl);
  await migrateLatest(databaseUrl);
  const temporalDirectory = await mkdtemp(path.join(os.tmpdir(), 'vpnflow-faults-temporal-'));
  const dbFile = path.join(temporalDirectory, 'temporal.db');
  const temporalPort = await freePort();
  const startTemporal = () => startDevServer({ port: temporalPort, dbFile, fastSqlite: true });
  let temporal: DevServer = await startTemporal();
  const smtp: SmtpSink = await startSmtpSink();
  const [apiPort, apiMetricsPort, workerMetricsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
  ]);
  const secrets = {
    whmcs: randomBytes(32).toString('base64url'),
    admin: randomBytes(32).toString('base64url'),
    codecKey: randomBytes(32).toString('base64'),
  };
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '5',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: FAULTS_TASK_QUEUE,
    API_HOST: '127.0.0.1',
    API_PORT: String(apiPort),
    API_METRICS_PORT: String(apiMetricsPort),
    WORKER_METRICS_PORT: String(workerMetricsPort),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PAYLOAD_CODEC_KEY: secrets.codecKey,
    ADMIN_API_TOKEN: secrets.admin,
    WHMCS_SHARED_SECRET: secrets.whmcs,
    SMTP_URL: smtp.url,
    WHMCS_CLIENT_AREA_URL: 'https://billing.example.net/clientarea.php',
  };
  const worker = new ProcessUnderTest('worker/main.ts', env);
  const api = new ProcessUnderTest('api/main.ts', env);
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const db: Database = createDatabase(databaseUrl, 4);
  const codec = new PayloadEncryptionCodec([secrets.codecKey]);
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: encryptedDataConverter(codec) });

  const startWorker = async () => {
    worker.start();
    // It bundles the workflows before it polls: tens of seconds on a busy machine.
    await worker.waitFor('worker started', 180_000);
  };
  const startApi = async () => {
    api.start();
    await waitForJson(`${apiUrl}/v1/openapi.json`, 60_000, () => api.alive).catch(() => {
      throw new Error(api.failure());
    });
  };

  const call = async (method: string, route: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${apiUrl}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  await Promise.all([startWorker(), startApi()]);
  return {
    db,
    client,
    smtp,
    postgres,
    apiUrl,
    worker: { start: startWorker, kill: () => worker.kill(), isAlive: () => worker.alive },
    api: { start: startApi, kill: () => api.kill(), isAlive: () => api.alive },
    temporal: {
      /** SIGKILL: the server and its in-memory state are gone; its database file stays. */
      async kill() {
        const exited = new Promise<void>((resolve) => temporal.process.once('exit', () => resolve()));
        temporal.process.kill('SIGKILL');
        await exited;
      },
      /** The same server again, on its database file and port. */
      async restart() {
        temporal = await startTemporal();
      },
    },
    admin: (method: string, route: string, body?: unknown) =>
      call(method, route, body, { authorization: `Bearer ${secrets.admin}` }),
    /** A request signed as the WHMCS module signs it, with its Idempotency-Key when given. */
    whmcs: (method: string, route: string, body?: unknown, idempotencyKey?: string) => {
      const timestamp = Math.floor(Date.now() / 1000);
      const nonce = randomUUID();
      const raw = body === undefined ? '' : JSON.stringify(body);
      const signature = signWhmcsRequest(secrets.whmcs, { timestamp, nonce, method, path: route, body: raw });
      return call(method, route, body, {
        'x-vpnflow-timestamp': String(timestamp),
        'x-vpnflow-nonce': nonce,
        'x-vpnflow-signature': signature,
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      });
    },
    async close() {
      await Promise.all([worker.stop(), api.stop()]);
      await Promise.all([connection.close(), db.destroy(), smtp.close()]);
      await temporal.stop();
      await Promise.all([postgres.destroy(), rm(temporalDirectory, { recursive: true, force: true })]);
    },
  };
}

export type ProcessStack = Awaited<ReturnType<typeof startProcessStack>>;
