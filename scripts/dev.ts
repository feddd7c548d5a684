import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { config, keyList } from '../infra/config';
import { createDatabase, ensureDatabaseExists, migrateLatest } from '../infra/database';
import { SecretBox } from '../infra/secret-box';
import { demoServiceRequests, ensureDemoRouter, type DemoRouter } from './demo-data';
import { startMailCatcher } from './mail-catcher';
import { startTsxProcess, stopProcess, waitForJson } from './processes';
import { startDevServer, waitForTemporal, type DevServer } from './temporal-cli';

/**
 * `npm run dev`: the whole stack for a newcomer — Temporal with its Web UI, the database created and
 * migrated, a simulated RouterOS router with demo accounts, the worker and the API — and Ctrl-C stops
 * every child before exiting.
 */

/** The simulator's ports: the RouterOS defaults for the API, and a control endpoint beside them. */
const SIMULATOR_API_PORT = 8728;
const SIMULATOR_CONTROL_PORT = 8091;

const ROOT = path.resolve(__dirname, '..');
const say = (line: string) => process.stdout.write(`[dev] ${line}\n`);

interface Child {
  name: string;
  process: ChildProcess;
}

const children: Child[] = [];
let temporal: DevServer | undefined;
let mailCatcher: { close(): Promise<void> } | undefined;
let stopping = false;

function startChild(
  name: string,
  entry: string,
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Child {
  const child = startTsxProcess(entry, args, { env: extraEnv });
  const entryChild = { name, process: child };
  children.push(entryChild);
  child.once('exit', (code, signal) => {
    if (stopping) return;
    say(`${name} exited (code ${code ?? '-'}, signal ${signal ?? '-'}); stopping the stack`);
    void shutdown(1);
  });
  return entryChild;
}

async function shutdown(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  await Promise.all(children.map((child) => stopProcess(child.process)));
  await temporal?.stop();
  await mailCatcher?.close();
  say('stopped');
  process.exit(exitCode);
}

async function main(): Promise<void> {
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  const settings = config();

  const [host, port] = settings.TEMPORAL_ADDRESS.split(':');
  const uiPort = Number(new URL(settings.TEMPORAL_UI_URL).port || 8233);
  const apiUrl = `http://${settings.API_HOST === '0.0.0.0' ? '127.0.0.1' : settings.API_HOST}:${settings.API_PORT}`;
  try {
    await waitForTemporal(settings.TEMPORAL_ADDRESS, 1_500);
    say(`using the Temporal server already running at ${settings.TEMPORAL_ADDRESS}`);
  } catch {
    say(`starting Temporal at ${settings.TEMPORAL_ADDRESS} (state in .data/temporal.db)`);
    temporal = await startDevServer({
      ip: host,
      port: Number(port),
      uiPort,
      dbFile: path.join(ROOT, '.data', 'temporal.db'),
      // The UI sends no credentials of its own: the codec token travels in the endpoint's path.
      uiCodecEndpoint: `${apiUrl}/v1/codec/${encodeURIComponent(settings.TEMPORAL_CODEC_TOKEN)}`,
      log: (line) => process.stderr.write(`[temporal] ${line}\n`),
    });
  }

  const smtp = new URL(settings.SMTP_URL);
  if (['127.0.0.1', 'localhost'].includes(smtp.hostname) && smtp.protocol === 'smtp:') {
    mailCatcher = await startMailCatcher({
      host: smtp.hostname,
      port: Number(smtp.port || 25),
      directory: path.join(ROOT, '.data', 'mail'),
      report: (line) => process.stdout.write(`[mail] ${line}\n`),
    }).catch((error: unknown) => {
      say(`no mail catcher on ${settings.SMTP_URL} (${String(error)}); notices go to whatever listens there`);
      return undefined;
    });
  }

  if (await ensureDatabaseExists(settings.DATABASE_URL)) say('created the database');
  const applied = await migrateLatest(settings.DATABASE_URL);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');

  startChild('simulator', 'simulator/cli.ts', [
    '--routers',
    '1',
    '--accounts',
    '20',
    '--base-port',
    String(SIMULATOR_API_PORT),
    '--control-port',
    String(SIMULATOR_CONTROL_PORT),
  ]);
  const simulatorUrl = `http://127.0.0.1:${SIMULATOR_CONTROL_PORT}`;
  const [simulated] = await waitForJson<DemoRouter[]>(`${simulatorUrl}/routers`, 30_000, () => !stopping);
  const db = createDatabase(settings.DATABASE_URL, 2);
  const demoRouterId = await ensureDemoRouter(
    db,
    new SecretBox(keyList(settings.DATA_ENCRYPTION_KEY)),
    simulated,
  );
  await db.destroy();

  startChild('worker', 'worker/main.ts');
  startChild('api', 'api/main.ts');
  await waitForJson(`${apiUrl}/healthz`, 60_000, () => !stopping);
  for (const request of demoServiceRequests(demoRouterId)) {
    const response = await fetch(`${apiUrl}/v1/admin/services`, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.ADMIN_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    if (response.status >= 300)
      say(`demo service ${request.serviceId}: ${response.status} ${await response.text()}`);
  }

  say('vpnflow is up:');
  say(`  API           ${apiUrl}  (health: ${apiUrl}/healthz)`);
  say(`  Temporal UI   ${settings.TEMPORAL_UI_URL}`);
  say(`  Temporal gRPC ${settings.TEMPORAL_ADDRESS}`);
  if (mailCatcher) say(`  Mail catcher  ${settings.SMTP_URL} (notices saved in .data/mail)`);
  say(
    `  RouterOS simulator  api-ssl ${simulated.host}:${simulated.tlsPort}, control ${simulatorUrl}/routers`,
  );
  say(
    `  Demo services ${demoServiceRequests(demoRouterId)
      .map((request) => request.serviceId)
      .join(', ')} (admin token: ADMIN_API_TOKEN)`,
  );
  say('Press Ctrl-C to stop everything.');
}

main().catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
