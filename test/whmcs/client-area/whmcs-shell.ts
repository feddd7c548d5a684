import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { uniqueId } from '../../helpers/fixtures';

const SHELL_DIR = join(__dirname, '../../../whmcs/tests/Shell');
const START_TIMEOUT_MS = 10_000;

export interface WhmcsShellOptions {
  port: number;
  /** The vpnflow API the server records point at. */
  apiUrl: string;
  secret: string;
  smartyVersion: 3 | 4;
}

/**
 * The WHMCS-like page shell (whmcs/tests/Shell) under `php -S`, with its own SQLite database, and its
 * setup command for the rows WHMCS would hold. Needs Debian's php-cli: without it this fails.
 */
export async function startWhmcsShell(options: WhmcsShellOptions) {
  const directory = mkdtempSync(join(tmpdir(), 'vpnflow-whmcs-shell-'));
  const env = {
    ...process.env,
    VPNFLOW_SHELL_DB: join(directory, 'whmcs.sqlite'),
    VPNFLOW_SMARTY: String(options.smartyVersion),
    VPNFLOW_API_URL: options.apiUrl,
    VPNFLOW_SECRET: options.secret,
    // Fixtures::service asks for it; the tests give every service its id.
    VPNFLOW_ID_BASE: '0',
  };
  const url = `http://127.0.0.1:${options.port}`;
  const server = spawn('php', ['-S', `127.0.0.1:${options.port}`, join(SHELL_DIR, 'router.php')], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  server.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<never>((_, reject) => {
    server.once('error', reject);
    server.once('exit', (code) => reject(new Error(`php -S exited with ${code}: ${log}`)));
  });
  exited.catch(() => undefined);

  const setup = async <T>(command: Record<string, unknown>): Promise<T> => {
    const { stdout } = await promisify(execFile)(
      'php',
      [join(SHELL_DIR, 'setup.php'), JSON.stringify(command)],
      {
        env,
      },
    );
    return JSON.parse(stdout) as T;
  };
  // The first setup creates the database before the server reads it.
  await setup({ command: 'numbering', from: uniqueId() });
  const started = Date.now();
  for (;;) {
    const ready = await Promise.race([
      fetch(`${url}/assets/shell.css`).then(
        (response) => response.ok,
        () => false,
      ),
      exited,
    ]);
    if (ready) break;
    if (Date.now() - started > START_TIMEOUT_MS) throw new Error(`php -S did not start: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    setup,
    /** The last lines php -S logged, for a failure's message. */
    log: () => log,
    close() {
      server.kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export type WhmcsShell = Awaited<ReturnType<typeof startWhmcsShell>>;
