import { ItemTable } from './item-table';
import type { NetInterface, Package, Pool, PppSession, Profile, Secret, SimpleQueue } from './model';
import { zeroCounters } from './model';
import { compareVersions, prefixContains } from './values';

export interface RouterStateOptions {
  readonly identity: string;
  readonly version: string;
  readonly seed: number;
  /** Wall-clock time at boot, epoch ms; the virtual clock runs from here. */
  readonly bootTime: number;
}

export const BUILT_IN_PROFILE_IDS = { default: 0, defaultEncryption: 0xfffffffe } as const;

/** Everything a router holds: configuration (kept across reboots) and runtime state (not kept). */
export class RouterState {
  identity: string;
  readonly version: string;
  readonly seed: number;
  /** Virtual milliseconds since boot. */
  uptime = 0;
  bootTime: number;

  readonly profiles = new ItemTable<Profile>((profile) => profile.values.get('name') ?? '', 1);
  readonly secrets = new ItemTable<Secret>((secret) => secret.values.get('name') ?? '');
  readonly pools = new ItemTable<Pool>((pool) => pool.values.get('name') ?? '');
  readonly queues = new ItemTable<SimpleQueue>((queue) => queue.values.get('name') ?? '');
  readonly interfaces = new ItemTable<NetInterface>((netInterface) => netInterface.name);
  readonly sessions = new ItemTable<PppSession>((session) => session.name);
  readonly packages = new ItemTable<Package>((item) => item.name);
  /** Changes whenever queue targets change, so the traffic model rebuilds its address index. */
  queueTargetsVersion = 0;

  constructor(options: RouterStateOptions) {
    this.identity = options.identity;
    this.version = options.version;
    this.seed = options.seed;
    this.bootTime = options.bootTime;
    this.profiles.insert({
      id: BUILT_IN_PROFILE_IDS.default,
      builtIn: true,
      values: new Map([
        ['name', 'default'],
        ['use-encryption', 'default'],
        ['only-one', 'default'],
        ['change-tcp-mss', 'yes'],
      ]),
    });
    this.profiles.insert({
      id: BUILT_IN_PROFILE_IDS.defaultEncryption,
      builtIn: true,
      values: new Map([
        ['name', 'default-encryption'],
        ['use-encryption', 'yes'],
        ['only-one', 'default'],
        ['change-tcp-mss', 'yes'],
      ]),
    });
    for (const name of ['ether1', 'lo']) {
      this.interfaces.insert({
        id: this.interfaces.allocateId(),
        name,
        type: name === 'lo' ? 'loopback' : 'ether',
        mtu: name === 'lo' ? 65536 : 1500,
        dynamic: false,
        disabled: false,
        comment: undefined,
        counters: zeroCounters(),
        linkDowns: 0,
        lastLinkUp: this.bootTime,
      });
    }
    this.packages.insert({ id: this.packages.allocateId(), name: 'routeros' });
  }

  /** Virtual wall-clock time, epoch ms. */
  get now(): number {
    return this.bootTime + this.uptime;
  }

  /** RouterOS 7.10 and later print dates as ISO. */
  get isoDates(): boolean {
    return compareVersions(this.version, '7.10') >= 0;
  }

  /** 7.18 and later answer an empty print with `!empty` before `!done`. */
  get sendsEmpty(): boolean {
    return compareVersions(this.version, '7.18') >= 0;
  }

  staticQueuesFor(address: number, index: QueueAddressIndex): SimpleQueue[] {
    const matches = new Set(index.exact.get(address));
    for (const queue of index.wider) {
      if (queue.targets.some((target) => 'prefix' in target && prefixContains(target.prefix, address))) {
        matches.add(queue);
      }
    }
    return [...matches].filter((queue) => queue.values.get('disabled') !== 'true');
  }

  buildQueueIndex(): QueueAddressIndex {
    const exact = new Map<number, SimpleQueue[]>();
    const wider: SimpleQueue[] = [];
    for (const queue of this.queues.all()) {
      if (queue.dynamic) continue;
      let isWide = false;
      for (const target of queue.targets) {
        if (!('prefix' in target)) continue;
        if (target.prefix.prefixLength === 32) {
          const list = exact.get(target.prefix.network) ?? [];
          if (!list.includes(queue)) list.push(queue);
          exact.set(target.prefix.network, list);
        } else {
          isWide = true;
        }
      }
      if (isWide) wider.push(queue);
    }
    return { exact, wider, version: this.queueTargetsVersion };
  }
}

export interface QueueAddressIndex {
  readonly exact: ReadonlyMap<number, SimpleQueue[]>;
  readonly wider: ReadonlyArray<SimpleQueue>;
  readonly version: number;
}
