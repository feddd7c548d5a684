import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { stopProcess } from './processes';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');
// Later CLI tags cannot be built with `go install`; this one bundles Temporal Server 1.29.
const CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

function onPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The `temporal` CLI: on PATH, else in .tools/bin, else built there with Go. */
export function findTemporalCli(log: (line: string) => void = () => {}): string {
  const local = path.join(TOOLS_BIN, 'temporal');
  if (existsSync(local)) return local;
  const global = onPath('temporal');
  if (global) return global;
  if (!onPath('go')) {
    throw new Error(
      'The Temporal CLI was not found on PATH or in .tools/bin, and Go is not installed to build it.\n' +
        `Install Go (https://go.dev/dl/) and run: GOBIN=${TOOLS_BIN} go install ${CLI_MODULE}\n` +
        'or install the CLI (https://docs.temporal.io/cli) and put `temporal` on PATH.',
    );
  }
  log(`Building the Temporal CLI into ${TOOLS_BIN} (first run only, a few minutes)...`);
  mkdirSync(TOOLS_BIN, { recursive: true });
  execFileSync('go', ['install', CLI_MODULE], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: TOOLS_BIN },
  });
  return local;
}

export interface DevServerOptions {
  port: number;
  /** Omit for a headless server. */
  uiPort?: number;
  /** Omit for an in-memory database. */
  dbFile?: string;
  ip?: string;
  /** Faster, less durable SQLite for throwaway test servers. */
  fastSqlite?: boolean;
  uiCodecEndpoint?: string;
  dynamicConfig?: Record<string, unknown>;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Server settings vpnflow relies on for speed, on the dev server as on a production cluster
 * (docs/scaling.md): an activity a workflow task schedules goes straight back to the worker that
 * completed the task, instead of through a poll.
 */
export const RECOMMENDED_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  'system.enableActivityEagerExecution': true,
};

export function devServerArgs(options: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--port', String(options.port), '--ip', options.ip ?? '127.0.0.1'];
  args.push('--log-level', 'warn');
  if (options.uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(options.uiPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.fastSqlite)
    args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES))
    args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries({ ...RECOMMENDED_DYNAMIC_CONFIG, ...options.dynamicConfig })) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }
  return args;
}

/** Waits until the frontend answers a health check; a cold start of the dev server takes a while. */
export async function waitForTemporal(address: string, timeoutMs: number, exited?: () => string | undefined) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const exit = exited?.();
    if (exit) throw new Error(`Temporal dev server exited before it was ready: ${exit}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        const health = await connection.healthService.check({});
        if (health.status === 1) return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Temporal at ${address} was not healthy after ${timeoutMs} ms: ${String(lastError)}`);
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const cli = findTemporalCli(options.log);
  if (options.dbFile) mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const child = spawn(cli, devServerArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  let exitReason: string | undefined;
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString()).slice(-2000);
    options.log?.(chunk.toString().trimEnd());
  });
  child.stdout?.on('data', (chunk: Buffer) => options.log?.(chunk.toString().trimEnd()));
  child.on('exit', (code, signal) => {
    exitReason = `code ${code ?? '-'} signal ${signal ?? '-'}: ${stderrTail.trim()}`;
  });
  const address = `${options.ip ?? '127.0.0.1'}:${options.port}`;
  const stop = () => stopProcess(child);
  try {
    await waitForTemporal(address, 90_000, () => exitReason);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, process: child, stop };
}
