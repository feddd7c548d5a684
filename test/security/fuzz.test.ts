import fc from 'fast-check';
import { AuthThrottle } from '../../api/auth-throttle';
import type { SimulatedRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { freePort } from '../../scripts/free-port';
import { uniqueId } from '../helpers/fixtures';
import { startHarness, TEST_ADMIN_TOKEN, TEST_WHMCS_SECRET, type Harness } from '../helpers/harness';
import { addSimulatedRouter } from '../helpers/simulated-router';
import {
  credentialsFor,
  operationsOf,
  requestArbitrary,
  type FuzzContext,
  type FuzzRequest,
} from './request-fuzzer';

/** Requests per CI run; FUZZ_REQUESTS and FUZZ_SEED reproduce or widen a run. */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const IN_FLIGHT = 8;
/** A command waits 10 s for its router before it answers "queued": far longer is a request left hanging. */
const ANSWER_WITHIN_MS = 60_000;

/**
 * Every operation of the OpenAPI document, fuzzed against the real stack (API, worker, Temporal,
 * PostgreSQL, a simulated router): no answer is a 5xx, every error has the one shape, the API stays
 * healthy, and no service is left half-made or with a command that never ends.
 */
describe('the API under fuzzed requests', () => {
  let harness: Harness;
  let router: SimulatedRouter;
  let routerId: number;
  const context: FuzzContext = {
    serviceIds: [],
    mutableRouterIds: [],
    readOnlyRouterIds: [],
    clientTokens: new Map(),
    adminToken: TEST_ADMIN_TOKEN,
    whmcsSecret: TEST_WHMCS_SECRET,
  };

  beforeAll(async () => {
    // Wrong credentials are part of the fuzz; blocking the test's own address would hide the rest.
    // Metering passes it asks for read its own router only: the shared database holds other test
    // files' routers, some of them down on purpose, and a fuzzed routerId may name any of them.
    harness = await startHarness({
      authThrottle: new AuthThrottle({ maxFailures: Number.MAX_SAFE_INTEGER }),
      activities: (real) => ({
        listMeteredRouters: async () => [routerId],
        meterRouter: async (request) =>
          request.routerId === routerId
            ? real.meterRouter(request)
            : { ...request, readAt: new Date().toISOString(), servicesRead: 0, bytes: '0', services: [] },
      }),
    });
    ({ router, routerId } = await addSimulatedRouter(harness, { cidr: '10.109.0.0/22' }));
    context.readOnlyRouterIds.push(routerId);
    for (let index = 0; index < 4; index += 1) {
      const serviceId = uniqueId();
      const created = await harness.whmcs('POST', '/v1/whmcs/services', {
        serviceId,
        clientId: 500 + index,
        clientEmail: `fuzz${index}@example.net`,
        routerId,
        username: `fuzz${serviceId}`,
        password: 'fuzz-Passw0rd',
        product: { trafficGb: { monthly: 20 } },
        billingCycle: 'Monthly',
      });
      if (created.status !== 200)
        throw new Error(`fixture service not created: ${JSON.stringify(created.body)}`);
      context.serviceIds.push(serviceId);
    }
    const token = await harness.whmcs('POST', `/v1/whmcs/services/${context.serviceIds[0]}/client-token`);
    context.clientTokens.set(context.serviceIds[0], token.body.token);
    // On a closed local port: connection tests against it fail at once instead of waiting for a timeout.
    const spare = await harness.admin('POST', '/v1/admin/routers', {
      name: `fuzz-spare-${uniqueId()}`,
      apiHost: '127.0.0.1',
      apiPort: await freePort(),
      apiUser: 'vpnflow',
      apiPassword: 'spare-Passw0rd',
      publicHostname: 'spare.example.net',
    });
    context.mutableRouterIds.push(spare.body.id);
  });
  afterAll(async () => {
    await harness?.close();
    await router?.stop();
  });

  it(`answers ${REQUESTS} fuzzed requests without a 5xx, each error in the one shape`, async () => {
    const document = (await fetch(`${harness.baseUrl}/v1/openapi.json`).then((response) =>
      response.json(),
    )) as Parameters<typeof operationsOf>[0];
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(30);
    const requests = fc.sample(
      fc.oneof(...operations.map((operation) => requestArbitrary(operation, context))),
      {
        numRuns: REQUESTS,
        seed: SEED,
      },
    );

    // Printed first, so that a run that times out can be repeated (FUZZ_SEED).
    console.log(`fuzzing ${requests.length} requests with seed ${SEED}`);
    const statuses = new Map<number, number>();
    const problems: string[] = [];
    const started = Date.now();
    const slowest: Array<{ ms: number; where: string }> = [];
    const resent: string[] = [];
    const send = async (request: FuzzRequest) => {
      const where = `${request.method} ${request.target.slice(0, 120)} [${request.bodyKind}, ${request.credentials}]`;
      const sentAt = Date.now();
      const attempt = () =>
        fetch(`${harness.baseUrl}${request.target}`, {
          method: request.method,
          headers: { ...request.headers, ...credentialsFor(request, context) },
          body: request.body,
          signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
        }).catch((error: unknown) => error as Error);
      let response = await attempt();
      // A kept-alive connection the server closed as idle just as it was reused fails before the
      // request reaches the API; sent again it arrives. A request that breaks the connection itself
      // breaks the second one too, and is reported.
      if (response instanceof Error && response.name !== 'TimeoutError') {
        resent.push(`${where}: ${String(response.cause ?? response)}`);
        response = await attempt();
      }
      if (response instanceof Error) {
        problems.push(
          response.name === 'TimeoutError'
            ? `no answer within ${ANSWER_WITHIN_MS} ms for ${where}`
            : `connection failed twice for ${where}: ${String(response.cause ?? response)}`,
        );
        return;
      }
      const text = await response.text();
      slowest.push({ ms: Date.now() - sentAt, where });
      slowest.sort((a, b) => b.ms - a.ms).splice(3);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) problems.push(`${response.status} for ${where}: ${text.slice(0, 300)}`);
      if (response.status >= 400 && !hasErrorShape(text))
        problems.push(`no error shape for ${where}: ${text.slice(0, 200)}`);
    };
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests.length) await send(requests[(next += 1) - 1]);
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const counts = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}: ${count}`);
    console.log(
      `fuzzed ${requests.length} requests over ${operations.length} operations in ${seconds.toFixed(1)} s (seed ${SEED}): ${counts.join(', ')}; ` +
        `slowest: ${slowest.map(({ ms, where }) => `${ms} ms ${where}`).join('; ')}; ` +
        `sent again after a failed connection: ${resent.length ? resent.join('; ') : 'none'}`,
    );
    expect(problems.slice(0, 20)).toEqual([]);
    expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
  }, 300_000);

  it('leaves no service on the router half-made, and every one still answers a command', async () => {
    await eventually(
      async () => {
        const provisioning = await harness.stack
          .db('services')
          .where({ router_id: routerId, status: 'provisioning' })
          .pluck('id');
        expect(provisioning).toEqual([]);
      },
      { timeoutMs: 60_000 },
    );
    const live = (
      await harness.stack
        .db('services')
        .where({ router_id: routerId })
        .whereNot({ status: 'terminated' })
        .pluck('id')
    ).map(Number);
    for (const serviceId of live) {
      const answer = await harness.whmcs('POST', `/v1/whmcs/services/${serviceId}/retry`, {});
      expect({ serviceId, status: answer.status }).toEqual({ serviceId, status: 200 });
    }
  });
});

function hasErrorShape(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof body.error?.code === 'string' && typeof body.error.message === 'string';
  } catch {
    return false;
  }
}
