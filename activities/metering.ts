import { isTrafficExhausted } from '../domain/ledger';
import type { RouterClient, RouterDirectory } from '../routeros';
import type { MeteredService, MeteringStore, RouterReading } from '../store/metering-store';

export interface MeteringActivityDeps {
  routers: RouterDirectory;
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
 * All counters in one print, the sessions, and the uptime before and after: a reboot between the
 * two would pair old counters with a new uptime (or the reverse), so such a read is thrown away.
 */
async function readRouter(client: RouterClient): Promise<RouterReading> {
  const before = await client.routerInfo();
  const [counters, sessions] = await Promise.all([client.readQueueCounters(), client.listActiveSessions()]);
  const after = await client.routerInfo();
  if (after.uptimeSeconds < before.uptimeSeconds) {
    throw new Error('the router rebooted while its counters were read; reading again');
  }
  return { uptimeSeconds: after.uptimeSeconds, readAt: new Date(), counters, sessions };
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
      const client = await deps.routers.clientFor(routerId);
      const reading = await readRouter(client);
      const services = await deps.metering.recordRouterReading(routerId, reading);
      return {
        routerId,
        servicesRead: services.length,
        bytes: services.reduce((sum, service) => sum + service.usedBytes, 0n).toString(),
        services: services.filter(needsReport).map(reportOf),
      };
    },

    async recordMeteringFailure({ routerId, error }: { routerId: number; error: string }): Promise<void> {
      await deps.metering.recordRouterFailure(routerId, error, new Date());
    },
  };
}
