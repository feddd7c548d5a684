import { SimulatedRouter } from './router';
import { createPrng } from './traffic';
import { formatIpv4, parseIpv4 } from './values';

export interface DemoAccount {
  readonly name: string;
  readonly password: string;
  readonly address: string;
  readonly service: string;
}

export const DEMO_PROFILE = { name: 'vpn-20M', rateLimit: '10M/20M' } as const;

/**
 * Fills a router with `accounts` PPP secrets, each with a static queue on its fixed address
 * (10.(10+routerIndex).x.y), and brings about two thirds of them online. Deterministic for a seed.
 */
export function populateDemoRouter(
  router: SimulatedRouter,
  options: { routerIndex: number; accounts: number; seed: number },
): DemoAccount[] {
  const random = createPrng(options.seed * 7919 + options.routerIndex);
  router.addProfile(DEMO_PROFILE);
  const firstAddress = parseIpv4(`10.${10 + (options.routerIndex % 240)}.0.2`) as number;
  const accounts: DemoAccount[] = [];
  for (let index = 0; index < options.accounts; index += 1) {
    const account: DemoAccount = {
      name: `user${String(index + 1).padStart(3, '0')}`,
      password: Math.floor(random() * 0xffffffff)
        .toString(36)
        .padStart(7, '0'),
      address: formatIpv4(firstAddress + index),
      service: 'l2tp',
    };
    router.addSecret({
      name: account.name,
      password: account.password,
      service: account.service,
      profile: DEMO_PROFILE.name,
      remoteAddress: account.address,
      comment: 'demo account',
    });
    router.addStaticQueue({
      name: `vpn-${account.name}`,
      target: `${account.address}/32`,
      maxLimit: DEMO_PROFILE.rateLimit,
      comment: 'demo account',
    });
    if (random() < 2 / 3) router.connectSession(account.name, account.password);
    accounts.push(account);
  }
  return accounts;
}

/**
 * Some churn for a live demo: each call, every account has a small chance to hang up (online) or
 * to connect (offline).
 */
export function churnSessions(
  router: SimulatedRouter,
  accounts: ReadonlyArray<DemoAccount>,
  random: () => number,
  probability = 0.01,
): void {
  const online = new Set(router.activeSessions().map((session) => session.name));
  for (const account of accounts) {
    if (random() >= probability) continue;
    if (online.has(account.name)) router.disconnectSession(account.name);
    else router.connectSession(account.name, account.password, { service: account.service });
  }
}
