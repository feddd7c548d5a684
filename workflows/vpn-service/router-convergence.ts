import { condition, metricMeter } from '@temporalio/workflow';
import { desiredAccount } from '../../domain/desired-account';
import { isDataFailure, isRouterSetupFailure } from '../../domain/failures';
import { WORKER_METRICS } from '../../domain/worker-metrics';
import { failureText, failureType } from '../activity-failures';
import { routerCall } from '../activity-options';
import type { VpnService } from './service';

const ROUTER_RETRY_START_MS = 5_000;
const ROUTER_RETRY_MAX_MS = 5 * 60_000;
/** What a person must fix is tried again hourly, or at once when an operator asks (retryRouter). */
const ROUTER_REFUSED_RETRY_MS = 60 * 60_000;

/** What the router was asked and has confirmed, carried across continue-as-new. */
export interface RouterRecord {
  /** The service's address on its router, allocated once. */
  address: { id: string; address: string } | null;
  /** Raised by every command that changes the router; the router is converged until it matches. */
  desiredVersion: number;
  appliedVersion: number;
  /** Session kicks the router has confirmed (compared with the state's sessionResets). */
  kicksDone: number;
  /** The last failure that stopped convergence, without secrets. */
  error: string | null;
}

/**
 * A wrong router setting, an empty address pool or data the database refuses cannot pass by itself;
 * anything else (a router offline, a timeout) may, and is tried again soon.
 */
function needsOperator(type: string | undefined): boolean {
  return isRouterSetupFailure(type) || isDataFailure(type);
}

/**
 * Router changes follow desired state: every command changes the desired account, and one idempotent
 * activity makes the router match it and reads it back. A newer desired state replaces an older one
 * that was not applied yet.
 */
export class RouterConvergence implements RouterRecord {
  address: RouterRecord['address'];
  desiredVersion: number;
  appliedVersion: number;
  kicksDone: number;
  error: string | null;
  /** Raised by retryRouter: ends the wait after a failed attempt early. */
  private retries = 0;
  /** A traffic limit being timed: the desired version that carries it, and when the need was found. */
  private limitTimed: { version: number; sinceMs: number } | undefined;

  constructor(
    private readonly service: VpnService,
    record: RouterRecord,
  ) {
    this.address = record.address;
    this.desiredVersion = record.desiredVersion;
    this.appliedVersion = record.appliedVersion;
    this.kicksDone = record.kicksDone;
    this.error = record.error;
  }

  record(): RouterRecord {
    const { address, desiredVersion, appliedVersion, kicksDone, error } = this;
    return { address, desiredVersion, appliedVersion, kicksDone, error };
  }

  get pending(): boolean {
    return this.appliedVersion < this.desiredVersion;
  }

  /** A check that holds once the router has applied every change asked of it until now. */
  appliedCheck(): () => boolean {
    const version = this.desiredVersion;
    return () => this.appliedVersion >= version;
  }

  /** The desired account changed: convergence goes on until the router has this version too. */
  requestChange(): void {
    this.desiredVersion += 1;
  }

  retryNow(): void {
    this.retries += 1;
  }

  /**
   * Times the traffic limit just asked for, from `sinceMs` until the router confirms it
   * (`vpnflow_enforcement_seconds`). A limit lifted before the router had it is not timed.
   */
  timeLimitFrom(sinceMs: number): void {
    // Nothing to time when the account was disabled already (suspended for another reason).
    if (this.pending) this.limitTimed = { version: this.desiredVersion, sinceMs };
  }

  stopTimingLimit(): void {
    this.limitTimed = undefined;
  }

  /** Makes the router match the newest desired state; an older state never overwrites a newer one. */
  async converge(): Promise<void> {
    let retryMs = ROUTER_RETRY_START_MS;
    while (this.pending) {
      const version = this.desiredVersion;
      try {
        await this.writeDesiredAccount();
        this.appliedVersion = version;
        this.error = null;
        this.recordLimitTime();
        retryMs = ROUTER_RETRY_START_MS;
      } catch (error) {
        this.error = failureText(error);
        const retriesBefore = this.retries;
        await condition(
          () => this.desiredVersion !== version || this.retries !== retriesBefore,
          needsOperator(failureType(error)) ? ROUTER_REFUSED_RETRY_MS : retryMs,
        );
        retryMs = Math.min(retryMs * 2, ROUTER_RETRY_MAX_MS);
      }
    }
  }

  private recordLimitTime(): void {
    if (this.limitTimed === undefined || this.appliedVersion < this.limitTimed.version) return;
    const { name, help } = WORKER_METRICS.enforcementSeconds;
    // Workflow time is when the router's confirmation reached the workflow; metrics are not replayed.
    metricMeter
      .createHistogram(name, 'float', 's', help)
      .record((Date.now() - this.limitTimed.sinceMs) / 1000);
    this.limitTimed = undefined;
  }

  /** One attempt: the database copy, the address, and the account on the router, read back. */
  private async writeDesiredAccount(): Promise<void> {
    const { service } = this;
    const { serviceId, routerId } = service;
    const desired = desiredAccount(service.state);
    if (!desired.present) {
      // Removing the queue takes its counters with it: their last reading is recorded first.
      await routerCall.recordFinalUsage({ routerId, serviceId, username: desired.name });
      // The database frees the address only after the router no longer uses it.
      await routerCall.removeAccount({ routerId, serviceId, username: desired.name });
      await service.save();
      return;
    }
    await service.save();
    this.address ??= await service.database.allocateAddress({ serviceId, routerId });
    const { kicksDone } = await routerCall.convergeAccount({
      routerId,
      desired,
      address: this.address.address,
      kicksDone: this.kicksDone,
    });
    this.kicksDone = kicksDone;
  }
}
