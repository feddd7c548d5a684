import {
  ApplicationFailure,
  getExternalWorkflowHandle,
  log,
  metricMeter,
  ParentClosePolicy,
  proxyActivities,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { MeteredServiceReport, MeterRouterResult } from '../activities/metering';
import { isBalanceLow, isTrafficExhausted } from '../domain/ledger';
import { WORKER_METRICS } from '../domain/worker-metrics';
import { serviceWorkflowId } from '../domain/workflow-ids';
import { failureText } from './activity-failures';
import type { Activities } from '../activities';
import { meteringBookkeeping } from './activity-options';
import { closeWatchWorkflow, closeWatchWorkflowId } from './close-watch';
import { balanceChangedSignal } from './vpn-service/messages';

const DEFAULT_MAX_CONCURRENT_ROUTERS = 8;

/**
 * One router's reading, which heartbeats between its router calls: a worker lost mid-pass is noticed
 * in seconds and the router read again; a router that stays down fails only its own activity, and the
 * counters it keeps meanwhile lose nothing by the next pass.
 */
const routerPass = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '15 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 3,
  },
});

export interface MeteringInput {
  maxConcurrentRouters?: number;
  /**
   * Meter only these routers; default: every enabled router, and then the pass also starts the close
   * watch of every router that has none running.
   */
  routerIds?: number[];
}

export interface MeteringSummary {
  routers: number;
  metered: number;
  failed: Array<{ routerId: number; error: string }>;
  /** Services whose queue was read. */
  services: number;
  /** Bytes of usage written by this pass, as a decimal string. */
  bytes: string;
  /** Service workflows told of their balance. */
  signalled: number;
}

/**
 * Whether the service workflow must hear of the balance: to limit access once it is exhausted, to
 * lift a limit that outlived its reason, or to send the low-balance notice after usage took it below
 * the threshold. An exhausted service that still used traffic is told even when the database says it
 * is limited: evidently it is not yet. Unchanged balances need no news, which keeps a pass over many
 * thousands of accounts from signalling every one of them.
 */
function needsBalanceSignal(service: MeteredServiceReport): boolean {
  const balance = BigInt(service.balanceBytes);
  const grant = service.trafficGrantBytes === null ? 'unlimited' : BigInt(service.trafficGrantBytes);
  if (isTrafficExhausted(balance, grant)) return !service.suspendedForTraffic || service.usageRecorded;
  // Still limited although traffic is back: the workflow looks at the ledger again and lifts it.
  if (service.suspendedForTraffic) return true;
  return service.usageRecorded && isBalanceLow(balance, BigInt(service.lowBalanceThresholdBytes), grant);
}

/** Runs `work` over `items` with at most `limit` in flight; deterministic, so safe in a workflow. */
async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

function isWorkflowNotFound(error: unknown): boolean {
  return error instanceof ApplicationFailure && /not ?found/i.test(`${error.type} ${error.message}`);
}

/** Starts the router's close watch unless it is running: it outlives the pass, which only makes sure. */
async function ensureCloseWatch(routerId: number): Promise<void> {
  try {
    await startChild(closeWatchWorkflow, {
      workflowId: closeWatchWorkflowId(routerId),
      args: [{ routerId }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** One metering pass: every router read once, usage written, and service workflows told. */
export async function meteringWorkflow(input: MeteringInput = {}): Promise<MeteringSummary> {
  const startedAt = Date.now();
  let routerIds = input.routerIds;
  if (routerIds === undefined) {
    routerIds = await meteringBookkeeping.listMeteredRouters();
    await Promise.all(routerIds.map(ensureCloseWatch));
  }
  const metered: MeterRouterResult[] = [];
  const failed: MeteringSummary['failed'] = [];
  await forEachBounded(
    routerIds,
    input.maxConcurrentRouters ?? DEFAULT_MAX_CONCURRENT_ROUTERS,
    async (routerId) => {
      try {
        metered.push(await routerPass.meterRouter({ routerId }));
      } catch (error) {
        const message = failureText(error);
        failed.push({ routerId, error: message });
        log.warn('metering failed for a router', { routerId, error: message });
        const failures = WORKER_METRICS.meteringRouterFailures;
        metricMeter
          .createCounter(failures.name, 'passes', failures.help)
          .add(1, { routerId: String(routerId) });
        await meteringBookkeeping.recordMeteringFailure({ routerId, error: message });
      }
    },
  );

  const toTell = metered.flatMap(({ services, readAt }) =>
    services
      .filter(needsBalanceSignal)
      .map(({ serviceId, balanceBytes }) => ({ serviceId, balanceBytes, readAt })),
  );
  await forEachBounded(toTell, 50, async ({ serviceId, balanceBytes, readAt }) => {
    try {
      await getExternalWorkflowHandle(serviceWorkflowId(serviceId)).signal(balanceChangedSignal, {
        balanceBytes,
        readAt,
      });
    } catch (error) {
      // A service created outside vpnflow's workflows, or one already closed, has nobody to tell.
      if (!isWorkflowNotFound(error)) throw error;
    }
  });

  // Workflow time moves with each task, so this spans the pass from its first task to its last.
  const passSeconds = WORKER_METRICS.meteringPassSeconds;
  metricMeter
    .createHistogram(passSeconds.name, 'float', 's', passSeconds.help)
    .record((Date.now() - startedAt) / 1000);

  return {
    routers: routerIds.length,
    metered: metered.length,
    failed: failed.sort((a, b) => a.routerId - b.routerId),
    services: metered.reduce((sum, result) => sum + result.servicesRead, 0),
    bytes: metered.reduce((sum, result) => sum + BigInt(result.bytes), 0n).toString(),
    signalled: toTell.length,
  };
}
