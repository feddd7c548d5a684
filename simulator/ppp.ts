import { randomBytes } from 'node:crypto';
import type { PppSession, Secret, SimpleQueue } from './model';
import { zeroCounters } from './model';
import type { RouterState } from './router-state';
import { parseIpv4, parseIpv4Prefix, parseRateLimit } from './values';

export class SessionRefused extends Error {
  constructor(
    readonly accountName: string,
    readonly reason:
      | 'no such secret'
      | 'secret disabled'
      | 'wrong password'
      | 'service mismatch'
      | 'already connected'
      | 'no address available',
  ) {
    super(`PPP session for ${accountName} refused: ${reason}`);
    this.name = 'SessionRefused';
  }
}

export const PPP_SERVICES = ['any', 'async', 'l2tp', 'ovpn', 'pppoe', 'pptp', 'sstp'] as const;

/** Why a session ended, as the secret's `last-disconnect-reason` shows it. */
export type DisconnectReason = 'admin-disconnect' | 'peer-disconnect' | 'limit-reached';

/** Addresses handed out when neither the secret nor its profile names one. */
const FALLBACK_RANGE = {
  first: parseIpv4('172.31.0.2') as number,
  last: parseIpv4('172.31.255.254') as number,
};

export class PppSessions {
  constructor(private readonly state: RouterState) {}

  /** Names and strings are byte strings (see request.ts); callers holding UTF-8 convert first. */
  connect(name: string, password: string, options: { service?: string; callerId?: string } = {}): PppSession {
    const state = this.state;
    const secret = state.secrets.findByName(name);
    if (!secret) throw new SessionRefused(name, 'no such secret');
    if (secret.values.get('disabled') === 'true') throw new SessionRefused(name, 'secret disabled');
    if (secret.values.get('password') !== password) throw new SessionRefused(name, 'wrong password');
    const secretService = secret.values.get('service') ?? 'any';
    const service = options.service ?? (secretService === 'any' ? 'l2tp' : secretService);
    if (secretService !== 'any' && secretService !== service)
      throw new SessionRefused(name, 'service mismatch');
    if (state.sessions.findByName(name)) throw new SessionRefused(name, 'already connected');
    const profile = state.profiles.findByName(secret.values.get('profile') ?? 'default');
    const address = this.assignAddress(secret, profile?.values.get('remote-address'));
    if (address === undefined) throw new SessionRefused(name, 'no address available');

    const interfaceName = `<${service}-${name}>`;
    const interfaceId = state.interfaces.allocateId();
    state.interfaces.insert({
      id: interfaceId,
      name: interfaceName,
      type: `${service}-in`,
      mtu: 1450,
      dynamic: true,
      disabled: false,
      comment: undefined,
      counters: zeroCounters(),
      linkDowns: 0,
      lastLinkUp: state.now,
    });
    const rateLimit = profile?.values.get('rate-limit');
    const queueId = rateLimit ? this.addDynamicQueue(interfaceName, rateLimit) : undefined;
    const callerId = options.callerId ?? `203.0.113.${(secret.id % 250) + 1}`;
    secret.lastCallerId = callerId;
    return state.sessions.insert({
      id: state.sessions.allocateId(),
      name,
      service,
      callerId,
      address,
      connectedAt: state.uptime,
      sessionId: '0x' + randomBytes(4).toString('hex').toUpperCase(),
      limitBytesIn: BigInt(secret.values.get('limit-bytes-in') ?? '0'),
      limitBytesOut: BigInt(secret.values.get('limit-bytes-out') ?? '0'),
      interfaceId,
      queueId,
    });
  }

  disconnect(session: PppSession, reason: DisconnectReason): void {
    const state = this.state;
    state.sessions.delete(session.id);
    state.interfaces.delete(session.interfaceId);
    if (session.queueId !== undefined) {
      state.queues.delete(session.queueId);
      state.queueTargetsVersion += 1;
    }
    const secret = state.secrets.findByName(session.name);
    if (secret) {
      secret.lastLoggedOut = state.now;
      secret.lastDisconnectReason = reason;
    }
  }

  /** A reboot ends sessions without a proper logout. */
  dropAll(): void {
    for (const session of [...this.state.sessions.all()]) {
      this.state.sessions.delete(session.id);
      this.state.interfaces.delete(session.interfaceId);
      if (session.queueId !== undefined) this.state.queues.delete(session.queueId);
    }
    this.state.queueTargetsVersion += 1;
  }

  private addDynamicQueue(interfaceName: string, rateLimit: string): number {
    const limit = parseRateLimit(rateLimit);
    const queue: SimpleQueue = {
      id: this.state.queues.allocateId(),
      dynamic: true,
      values: new Map([
        ['name', interfaceName],
        ['target', interfaceName],
        ['max-limit', `${limit.upload}/${limit.download}`],
        ['disabled', 'false'],
      ]),
      targets: [{ interfaceName }],
      uploadBytes: 0n,
      downloadBytes: 0n,
      uploadPackets: 0n,
      downloadPackets: 0n,
      uploadRate: 0n,
      downloadRate: 0n,
    };
    this.state.queues.insert(queue);
    this.state.queueTargetsVersion += 1;
    return queue.id;
  }

  private assignAddress(secret: Secret, profileRemoteAddress: string | undefined): number | undefined {
    const inUse = () => new Set([...this.state.sessions.all()].map((session) => session.address));
    for (const source of [secret.values.get('remote-address'), profileRemoteAddress]) {
      if (source === undefined) continue;
      const fixed = parseIpv4(source);
      if (fixed !== undefined) return fixed;
      const pool = this.state.pools.findByName(source);
      if (pool) return firstFree(poolRanges(pool.values.get('ranges') ?? ''), inUse());
    }
    return firstFree([FALLBACK_RANGE], inUse());
  }
}

export function poolRanges(ranges: string): Array<{ first: number; last: number }> {
  const parsed: Array<{ first: number; last: number }> = [];
  for (const range of ranges.split(',')) {
    const [from, to] = range.split('-');
    if (to !== undefined) {
      const first = parseIpv4(from);
      const last = parseIpv4(to);
      if (first !== undefined && last !== undefined && first <= last) parsed.push({ first, last });
      continue;
    }
    const prefix = parseIpv4Prefix(from);
    if (prefix)
      parsed.push({ first: prefix.network, last: prefix.network + 2 ** (32 - prefix.prefixLength) - 1 });
  }
  return parsed;
}

function firstFree(ranges: ReadonlyArray<{ first: number; last: number }>, inUse: ReadonlySet<number>) {
  for (const range of ranges) {
    for (let address = range.first; address <= range.last; address += 1) {
      if (!inUse.has(address)) return address;
    }
  }
  return undefined;
}
