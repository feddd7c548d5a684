import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../scripts/free-port';
import type { SimulatedRouter } from '../../simulator';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, TEST_WHMCS_SECRET, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import { parseJunit, parseTestList, type JunitCase } from './junit';
import { startPrefixProxy } from './prefix-proxy';
import { startRouterControl } from './router-control';

/**
 * The WHMCS module's PHPUnit tests, run once against the real stack (API, worker, Temporal,
 * PostgreSQL, simulated routers) and reported here one Jest test per PHPUnit test, so CI counts them.
 * PHP and PHPUnit come from Debian (.ci/run installs them); without them these tests fail.
 */
const WHMCS_DIR = join(__dirname, '../../whmcs');
const PHPUNIT_CONFIG = join(WHMCS_DIR, 'tests/phpunit.xml');
const PHPUNIT_RUN_TIMEOUT_MS = 12 * 60_000;

function listPhpunitTests(): { tests: string[]; problem: string | null } {
  try {
    const output = execFileSync('phpunit', ['-c', PHPUNIT_CONFIG, '--list-tests'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tests = parseTestList(output);
    return { tests, problem: tests.length === 0 ? `phpunit listed no tests:\n${output}` : null };
  } catch (error) {
    return { tests: [], problem: `phpunit could not list the tests (is Debian's phpunit installed?): ${String(error)}` };
  }
}

function phpFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return phpFiles(path);
    return entry.name.endsWith('.php') ? [path] : [];
  });
}

const listed = listPhpunitTests();

describe('the WHMCS module in PHP', () => {
  test.each(phpFiles(WHMCS_DIR).map((file) => [file.slice(WHMCS_DIR.length + 1), file]))(
    'php -l %s',
    (_name, file) => {
      expect(execFileSync('php', ['-l', file], { encoding: 'utf8' })).toContain('No syntax errors detected');
    },
  );
});

describe('the WHMCS module under PHPUnit, against vpnflow', () => {
  let harness: Harness | undefined;
  const routers: SimulatedRouter[] = [];
  let control: { url: string; close(): void } | undefined;
  let prefixProxy: { url: string; close(): void } | undefined;
  let reportDir: string | undefined;
  let results = new Map<string, JunitCase>();
  let runOutput = '';

  beforeAll(async () => {
    if (listed.problem) return;
    harness = await startHarness();
    const main = await addSimulatedRouter(harness, { identity: 'whmcs-main', cidr: '10.110.0.0/24' });
    routers.push(main.router);
    const outage = await addSimulatedRouter(harness, { identity: 'whmcs-outage', cidr: '10.111.0.0/24' });
    routers.push(outage.router);
    control = await startRouterControl(routers);
    prefixProxy = await startPrefixProxy(harness.baseUrl, '/vpnflow');
    reportDir = mkdtempSync(join(tmpdir(), 'vpnflow-phpunit-'));
    const report = join(reportDir, 'junit.xml');
    const env = {
      ...process.env,
      VPNFLOW_API_URL: harness.baseUrl,
      VPNFLOW_SECRET: TEST_WHMCS_SECRET,
      VPNFLOW_ROUTER_ID: String(main.routerId),
      VPNFLOW_OUTAGE_ROUTER_ID: String(outage.routerId),
      VPNFLOW_CONTROL_URL: control.url,
      VPNFLOW_PREFIX_PROXY_URL: prefixProxy.url,
      VPNFLOW_CLOSED_PORT: String(await freePort()),
      VPNFLOW_ID_BASE: String(uniqueId() * 1000),
    };
    // Asynchronous: the API and the worker answering PHP run in this very process.
    const run = await promisify(execFile)('phpunit', ['-c', PHPUNIT_CONFIG, '--log-junit', report], {
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: PHPUNIT_RUN_TIMEOUT_MS,
    }).catch((error: { stdout?: string; stderr?: string; message: string }) => ({
      stdout: error.stdout ?? error.message,
      stderr: error.stderr ?? '',
    }));
    runOutput = `${run.stdout}\n${run.stderr}`;
    try {
      results = parseJunit(readFileSync(report, 'utf8'));
    } catch {
      results = new Map();
    }
  }, PHPUNIT_RUN_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    control?.close();
    prefixProxy?.close();
    await harness?.close();
    await Promise.all(routers.map((router) => router.stop()));
    if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  });

  if (listed.problem) {
    test('PHPUnit is installed and lists the tests', () => {
      throw new Error(listed.problem ?? '');
    });
  } else {
    test.each(listed.tests)('%s', (id) => {
      const result = results.get(id);
      if (!result) throw new Error(`PHPUnit did not report ${id}. Its output:\n${runOutput.slice(-4000)}`);
      if (result.failure !== null) throw new Error(result.failure);
      if (result.skipped) throw new Error('PHPUnit skipped it: a test it @depends on failed, or it was marked skipped');
    });
  }
});
