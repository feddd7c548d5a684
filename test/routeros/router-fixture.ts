import { type SimulatedRouter, startRouter, type StartRouterOptions } from '../../simulator';
import type { RouterConnectionSpec } from '../../routeros';

/** The plain-API spec for a simulated router (tests pass the port explicitly, as production does). */
export function plainSpec(
  router: SimulatedRouter,
  overrides: Partial<RouterConnectionSpec> = {},
): RouterConnectionSpec {
  return {
    host: router.host,
    port: router.apiPort,
    tls: false,
    user: router.apiUser,
    password: router.apiPassword,
    timeoutMs: 2_000,
    ...overrides,
  };
}

export function tlsSpec(
  router: SimulatedRouter,
  overrides: Partial<RouterConnectionSpec> = {},
): RouterConnectionSpec {
  if (router.tlsPort === undefined || router.tlsFingerprint === undefined)
    throw new Error('router has no TLS');
  return plainSpec(router, {
    port: router.tlsPort,
    tls: { fingerprint: router.tlsFingerprint },
    ...overrides,
  });
}

/** Starts routers for one test file and stops them after it. */
export function simulatedRouters() {
  const started: SimulatedRouter[] = [];
  afterAll(async () => {
    await Promise.all(started.map((router) => router.stop()));
  });
  return async (options: StartRouterOptions = {}): Promise<SimulatedRouter> => {
    const router = await startRouter(options);
    started.push(router);
    return router;
  };
}

/** Awaits a promise that must reject, and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
