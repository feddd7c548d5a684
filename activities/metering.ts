import { asyncLocalStorage, Context, log } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  CLOSE_WATCH,
  maxBytesPerSecond,
  needsCloseWatch,
  nextReadInMs,
  remainingBytes,
} from '../domain/close-watch';
import { isTrafficEnforced, isTrafficExhausted } from '../domain/ledger';
import type { StoredReading } from '../domain/reading-order';
import { trafficGrantForCycle } from '../domain/traffic-grants';
import { serviceWorkflowId } from '../domain/workflow-ids';
import type { QueueCounters, RouterClient, RouterDirectory } from '../routeros';
import type { MeteredService, MeteringStore, RouterReading, ServiceReading } from '../store/metering-store';
import { balanceChangedSignal, type BalanceChange } from '../workflows/vpn-service/messages';
import { WORKER_METRICS } from '../domain/worker-metrics';
import { addToCounter, recordSeconds } from './metrics';
import { ownedByService } from './service-activities';

export interface MeteringActivityDeps {
  /** Clients of the routers, by id: the database's routers reached over their API. */
  routerClients: RouterDirectory;
  metering: MeteringStore;
}

/** One service after a reading, as plain JSON (bytes as decimal strings). */
export interface MeteredServiceReport {
  serviceId: number;
  balanceBytes: string;
  usedBytes: string;
  usageRecorded: boolean;
  lowBalanceThresholdBytes: string;
  /** Bytes granted per cycle; null when the product is unlimited. */
  trafficGrantBytes: string | null;
  suspendedForTraffic: boolean;
}

export interface MeterRouterResult {
  routerId: number;
  /** When the router's counters arrived (ISO instant). */
  readAt: string;
  /** Services whose queue was read. */
  servicesRead: number;
  /** Bytes written to the ledger by this call. */
  bytes: string;
  /**
   * The services whose balance moved, or that are out of traffic but not yet limited; the others
   * are left out so that a pass over thousands of unchanged accounts stays small in history.
   */
  services: MeteredServiceReport[];
}

/**
 * A pass's read heartbeats between router calls when a worker runs it, so that a lost worker is noticed
 * within the heartbeat timeout rather than the pass's; bench/metering calls the activity directly.
 */
const heartbeat = () => asyncLocalStorage.getStore()?.heartbeat();

/**
 * All counters in one print, the sessions, and the uptime before and after: a reboot between the
 * two would pair old counters with a new uptime (or the reverse), so such a read is thrown away.
 */
async function readRouter(client: RouterClient): Promise<RouterReading> {
  const before = await client.routerInfo();
  heartbeat();
  const requestedAt = new Date();
  const [counters, sessions] = await Promise.all([client.readQueueCounters(), client.listActiveSessions()]);
  heartbeat();
  const after = await client.routerInfo();
  heartbeat();
  if (after.uptimeSeconds < before.uptimeSeconds) throw rebootedWhileReading();
  return { uptimeSeconds: after.uptimeSeconds, requestedAt, readAt: new Date(), counters, sessions };
}

const rebootedWhileReading = () =>
  new Error('the router rebooted while its counters were read; reading again');

/** Some accounts' counters in one print, between two uptimes, as readRouter reads them all. */
async function readAccounts(client: RouterClient, names: readonly string[]) {
  const before = await client.readUptimeSeconds();
  const requestedAt = new Date();
  const counters = await client.readQueueCountersOf(names);
  const uptimeSeconds = await client.readUptimeSeconds();
  if (uptimeSeconds < before) throw rebootedWhileReading();
  const readAt = new Date();
  const readingOf = ({ uploadBytes, downloadBytes }: QueueCounters): ServiceReading => ({
    uptimeSeconds,
    requestedAt,
    readAt,
    counters: { uploadBytes, downloadBytes },
  });
  return { counters, readingOf };
}

const needsReport = (service: MeteredService): boolean =>
  service.usageRecorded ||
  (isTrafficExhausted(service.balanceBytes, service.trafficGrant) && !service.suspendedForTraffic);

function reportOf(service: MeteredService): MeteredServiceReport {
  return {
    serviceId: service.serviceId,
    balanceBytes: service.balanceBytes.toString(),
    usedBytes: service.usedBytes.toString(),
    usageRecorded: service.usageRecorded,
    lowBalanceThresholdBytes: service.lowBalanceThresholdBytes.toString(),
    trafficGrantBytes: service.trafficGrant === 'unlimited' ? null : service.trafficGrant.toString(),
    suspendedForTraffic: service.suspendedForTraffic,
  };
}

export function createMeteringActivities(deps: MeteringActivityDeps) {
  return {
    async listMeteredRouters(): Promise<number[]> {
      return deps.metering.listEnabledRouterIds();
    },

    async meterRouter({ routerId }: { routerId: number }): Promise<MeterRouterResult> {
      const startedAt = performance.now();
      const client = await deps.routerClients.clientFor(routerId);
      const reading = await readRouter(client);
      const services = await deps.metering.recordRouterReading(routerId, reading);
      const bytes = services.reduce((sum, service) => sum + service.usedBytes, 0n);
      const router = { routerId: String(routerId) };
      recordSeconds(WORKER_METRICS.meteringRouterSeconds, (performance.now() - startedAt) / 1000, router);
      addToCounter(WORKER_METRICS.meteredAccounts, services.length, router);
      countBilledBytes(routerId, 'pass', bytes);
      return {
        routerId,
        readAt: reading.readAt.toISOString(),
        servicesRead: services.length,
        bytes: bytes.toString(),
        services: services.filter(needsReport).map(reportOf),
      };
    },

    async recordMeteringFailure({ routerId, error }: { routerId: number; error: string }): Promise<void> {
      await deps.metering.recordRouterFailure(routerId, error, new Date());
    },

    /**
     * The account's last reading before it is removed: its traffic is stopped first (secret disabled,
     * session kicked), so nothing moves between this reading and the removal of its queue, which takes
     * the counters with it. Only this service's own items are touched or read.
     */
    async recordFinalUsage(request: {
      routerId: number;
      serviceId: number;
      username: string;
    }): Promise<{ usedBytes: string }> {
      const { routerId, serviceId, username } = request;
      const client = await deps.routerClients.clientFor(routerId);
      const owned = ownedByService(serviceId);
      const secret = await client.readSecret(username);
      if (secret && owned(secret.comment)) {
        await client.setSecretDisabled(username, true);
        await client.kickSessions(username);
      }
      const { counters, readingOf } = await readAccounts(client, [username]);
      const queue = counters.find((candidate) => owned(candidate.comment));
      if (!queue) return { usedBytes: '0' };
      const metered = await deps.metering.recordServiceReading(routerId, serviceId, readingOf(queue));
      countBilledBytes(routerId, 'final', metered?.usedBytes ?? 0n);
      return { usedBytes: (metered?.usedBytes ?? 0n).toString() };
    },

    /**
     * Close watching of one router for `forMs` (docs/routeros-quotas.md); heartbeats throughout.
     * `routerActive` is false once the router is disabled, retired or gone: nothing is left to watch.
     */
    async watchNearEmptyAccounts(request: {
      routerId: number;
      forMs: number;
    }): Promise<{ routerActive: boolean }> {
      const watch = new CloseWatch(request.routerId, deps);
      return { routerActive: await watch.run(Date.now() + request.forMs) };
    },
  };
}

/** What close watching keeps of one account between reads. */
interface WatchedAccount {
  serviceId: number;
  username: string;
  /** The balance as of `lastReading`, the last reading the database holds. */
  balanceBytes: bigint;
  lastReading: StoredReading | null;
  /** The most its speed moves a millisecond; undefined when the speed is not limited. */
  maxBytesPerMs: number | undefined;
  /** Bytes used since `lastReading` at the previous read, and when: the pace the next read is timed by. */
  previous?: { usedBytes: bigint; atMs: number };
}

/** Waits after failures double from one poll up to this. */
const MAX_FAILURE_WAIT_MS = 8_000;

/**
 * One router's near-empty accounts, read every second or sooner in one print; one whose balance is
 * spent is recorded at once and its service workflow told, which limits it. What to watch is decided
 * from the database every `refreshMs`, and at once when a service of the router is saved.
 */
class CloseWatch {
  private accounts = new Map<string, WatchedAccount>();
  private mark: string | undefined;
  private lookAgainAt = 0;
  private markCheckedAt = 0;
  /**
   * Services told their traffic is spent, with the balance they were told: left alone until it moves
   * (bought traffic, a later reading) while their workflow limits them.
   */
  private told = new Map<number, bigint>();

  constructor(
    private readonly routerId: number,
    private readonly deps: MeteringActivityDeps,
  ) {}

  /** False as soon as the router has nothing to watch any more (disabled, retired, gone). */
  async run(untilMs: number): Promise<boolean> {
    let failures = 0;
    while (Date.now() < untilMs) {
      Context.current().heartbeat();
      let waitMs: number = CLOSE_WATCH.pollMs;
      try {
        if (!(await this.lookAgainIfDue())) return false;
        if (this.accounts.size > 0) waitMs = await this.readWatched();
        failures = 0;
      } catch (error) {
        failures += 1;
        waitMs = Math.min(MAX_FAILURE_WAIT_MS, CLOSE_WATCH.pollMs * 2 ** (failures - 1));
        log.warn('close watching could not read or record; trying again', {
          routerId: this.routerId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
      // The activity's cancellation ends this sleep with a failure, and with it the watch.
      await Context.current().sleep(Math.max(0, Math.min(waitMs, untilMs - Date.now())));
    }
    return true;
  }

  /** Decides again what to watch when it is time, or a service of the router changed. */
  private async lookAgainIfDue(): Promise<boolean> {
    const now = Date.now();
    if (now - this.markCheckedAt >= CLOSE_WATCH.pollMs) {
      this.markCheckedAt = now;
      const mark = await this.deps.metering.changeMark(this.routerId);
      if (mark !== this.mark) this.lookAgainAt = 0;
      this.mark = mark;
    }
    if (now < this.lookAgainAt) return true;
    const services = await this.deps.metering.activeServices(this.routerId);
    if (services === null) return false;
    this.lookAgainAt = now + CLOSE_WATCH.refreshMs;
    const watched = new Map<string, WatchedAccount>();
    const stillTold = new Map<number, bigint>();
    for (const service of services) {
      if (this.told.get(service.serviceId) === service.balanceBytes) {
        stillTold.set(service.serviceId, service.balanceBytes);
        continue;
      }
      const enforced = isTrafficEnforced(trafficGrantForCycle(service.product, service.billingCycle));
      const candidate = {
        balanceBytes: service.balanceBytes,
        lastReadAtMs: service.lastReading?.readAtMs ?? null,
        speed: service.product,
      };
      if (!enforced || !needsCloseWatch(candidate, now)) continue;
      const known = this.accounts.get(service.username);
      const maxPerSecond = maxBytesPerSecond(service.product);
      // The pace of the previous reads still holds while the reading they were measured from does.
      const samePace = known?.lastReading?.readAtMs === service.lastReading?.readAtMs;
      watched.set(service.username, {
        serviceId: service.serviceId,
        username: service.username,
        balanceBytes: service.balanceBytes,
        lastReading: service.lastReading,
        maxBytesPerMs: maxPerSecond === undefined ? undefined : maxPerSecond / 1000,
        previous: samePace ? known?.previous : undefined,
      });
    }
    this.accounts = watched;
    this.told = stillTold;
    return true;
  }

  /** One print of every watched queue; returns how long to wait before the next. */
  private async readWatched(): Promise<number> {
    const client = await this.deps.routerClients.clientFor(this.routerId);
    const counters = await client.readQueueCountersOf([...this.accounts.keys()]);
    Context.current().heartbeat();
    const now = Date.now();
    let waitMs: number = CLOSE_WATCH.pollMs;
    const spent: WatchedAccount[] = [];
    for (const queue of counters) {
      const account = this.accounts.get(queue.name);
      if (!account) continue;
      const left = remainingBytes(account.lastReading, account.balanceBytes, queue);
      if (left === 'restarted' || left <= 0n) {
        spent.push(account);
        continue;
      }
      const usedBytes = account.balanceBytes - left;
      const { previous } = account;
      // Before a pace is known the account may be moving at full speed.
      const bytesPerMs =
        previous && now > previous.atMs
          ? Number(usedBytes - previous.usedBytes) / (now - previous.atMs)
          : (account.maxBytesPerMs ?? 0);
      account.previous = { usedBytes, atMs: now };
      waitMs = Math.min(waitMs, nextReadInMs(left, bytesPerMs));
    }
    if (spent.length > 0) await this.record(client, spent);
    return waitMs;
  }

  /**
   * Records the accounts as a metering pass would (a counter that went back is recorded too: only a
   * recorded reading knows which boot it belongs to), and tells the workflows of those that are out.
   */
  private async record(client: RouterClient, accounts: WatchedAccount[]): Promise<void> {
    const { counters, readingOf } = await readAccounts(
      client,
      accounts.map((account) => account.username),
    );
    // Between the router's reads and the database's writes, each of which may take seconds.
    Context.current().heartbeat();
    for (const account of accounts) {
      const queue = counters.find((candidate) => candidate.name === account.username);
      if (!queue) continue;
      const reading = readingOf(queue);
      const metered = await this.deps.metering.recordServiceReading(
        this.routerId,
        account.serviceId,
        reading,
      );
      countBilledBytes(this.routerId, 'close-watch', metered?.usedBytes ?? 0n);
      if (metered && isTrafficExhausted(metered.balanceBytes, metered.trafficGrant)) {
        this.told.set(account.serviceId, metered.balanceBytes);
        await tellService(account.serviceId, {
          balanceBytes: metered.balanceBytes.toString(),
          readAt: reading.readAt.toISOString(),
        });
      }
    }
    // The recorded readings are the new starting points, and the told accounts wait for their limit.
    this.lookAgainAt = 0;
  }
}

function countBilledBytes(routerId: number, readBy: 'pass' | 'close-watch' | 'final', bytes: bigint): void {
  if (bytes > 0n)
    addToCounter(WORKER_METRICS.billedBytes, Number(bytes), { routerId: String(routerId), readBy });
}

/** The service workflow looks at its balance and limits the account; one that is gone has nobody to tell. */
async function tellService(serviceId: number, change: BalanceChange): Promise<void> {
  try {
    await Context.current()
      .client.workflow.getHandle(serviceWorkflowId(serviceId))
      .signal(balanceChangedSignal, change);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}
