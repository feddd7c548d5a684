import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createControlServer, type ControlledRouter } from './control-server';
import { churnSessions, populateDemoRouter } from './demo';
import { SimulatedRouter } from './router';
import { createPrng } from './traffic';

const USAGE = `usage: npm run simulator -- [--routers 3] [--accounts 50] [--base-port 8728] [--control-port 8080]
       [--seed 1] [--tick-ms 1000] [--speed 1] [--version 7.18.2] [--host 127.0.0.1] [--no-tls] [--no-churn]
Router i serves the API on base-port + 2i and api-ssl on base-port + 2i + 1 (base-port 0: free ports).
Every tick-ms of real time the virtual clock moves tick-ms x speed.`;

function integer(text: string, name: string, minimum: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`--${name} must be an integer >= ${minimum}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      routers: { type: 'string', default: '3' },
      accounts: { type: 'string', default: '50' },
      'base-port': { type: 'string', default: '8728' },
      'control-port': { type: 'string', default: '8080' },
      seed: { type: 'string', default: '1' },
      'tick-ms': { type: 'string', default: '1000' },
      speed: { type: 'string', default: '1' },
      version: { type: 'string', default: '7.18.2' },
      host: { type: 'string', default: '127.0.0.1' },
      'no-tls': { type: 'boolean', default: false },
      'no-churn': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const routerCount = integer(values.routers, 'routers', 1);
  const accounts = integer(values.accounts, 'accounts', 0);
  const basePort = integer(values['base-port'], 'base-port', 0);
  const controlPort = integer(values['control-port'], 'control-port', 0);
  const seed = integer(values.seed, 'seed', 0);
  const tickMs = integer(values['tick-ms'], 'tick-ms', 1);
  const speed = Number(values.speed);
  if (!(speed > 0)) throw new Error('--speed must be a positive number');

  const routers: ControlledRouter[] = [];
  const stopAll = () => Promise.all(routers.map((entry) => entry.router.stop()));
  try {
    for (let index = 0; index < routerCount; index += 1) {
      const router = await SimulatedRouter.start({
        identity: `sim-router-${index + 1}`,
        version: values.version,
        host: values.host,
        apiPort: basePort === 0 ? 0 : basePort + 2 * index,
        tls: !values['no-tls'],
        tlsPort: basePort === 0 ? 0 : basePort + 2 * index + 1,
        seed: seed + index,
      });
      routers.push({ router, accounts: populateDemoRouter(router, { routerIndex: index, accounts, seed }) });
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  const control = createControlServer(routers);
  await new Promise<void>((resolve, reject) => {
    control.once('error', reject);
    control.listen(controlPort, values.host, resolve);
  });

  for (const [index, { router, accounts: demoAccounts }] of routers.entries()) {
    console.log(
      `router ${index} ${router.identity} RouterOS ${router.version}: api ${router.host}:${router.apiPort}` +
        (router.tlsPort === undefined ? '' : `, api-ssl :${router.tlsPort} sha256 ${router.tlsFingerprint}`) +
        `, login ${router.apiUser}/${router.apiPassword}, ${router.activeSessions().length}/${demoAccounts.length} online`,
    );
    for (const account of demoAccounts.slice(0, 3)) {
      console.log(`  ${account.name} / ${account.password}  ${account.address}`);
    }
    if (demoAccounts.length > 3) console.log(`  ... (GET /routers/${index} lists all accounts)`);
  }
  console.log(`control: http://${values.host}:${(control.address() as AddressInfo).port}/routers`);

  const random = createPrng(seed);
  const ticker = setInterval(() => {
    for (const { router, accounts: demoAccounts } of routers) {
      if (!values['no-churn']) churnSessions(router, demoAccounts, random);
      router.advance(Math.round(tickMs * speed));
    }
  }, tickMs);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(ticker);
    console.log(`${signal}: stopping`);
    control.closeAllConnections();
    control.close();
    stopAll().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exit(1);
});
