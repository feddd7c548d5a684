import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/*
 * The retry and timeout profiles of every workflow's activities, each written once. A workflow calls
 * an activity through the profile that fits the call: `routerCall.convergeAccount(...)`.
 */

/** A few quick attempts: the caller has its own way of trying again later. */
const FEW_QUICK_ATTEMPTS = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '10 seconds',
  maximumAttempts: 3,
} as const;

/** One router change; the service workflow itself keeps retrying with the newest desired state. */
export const routerCall = proxyActivities<Activities>({
  startToCloseTimeout: '45 seconds',
  retry: FEW_QUICK_ATTEMPTS,
});

/**
 * The service workflow's database work, retried until it succeeds: upserts and ledger keys make every
 * retry harmless. Local activities: a quick database call runs in the worker within the workflow task
 * instead of costing the Temporal server a task of its own; bench/provision went from 9.7 to 13.9
 * services/s.
 */
export const databaseWork = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  // Longer waits between attempts become workflow timers: retrying inside one open workflow task
  // through a long database outage would add events on every task heartbeat.
  localRetryThreshold: '10 seconds',
});

/** Metering's own bookkeeping (which routers, which failed): retried until it succeeds, soon. */
export const meteringBookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/**
 * Client notices ride out an SMTP outage of up to two days; the notice store keeps every retry from
 * sending a notice twice.
 */
export const clientMail = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 days',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/** Daily maintenance over many rows: one long attempt, retried at a relaxed pace. */
export const maintenance = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});
