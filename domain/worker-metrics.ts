/**
 * vpnflow's own metrics on the worker's Prometheus endpoint, recorded through Temporal's metric meter
 * (so they carry the SDK's namespace and task-queue labels). Counters are exported with `_total`.
 */
export const WORKER_METRICS = {
  credits: {
    name: 'vpnflow_credits',
    help: 'Ledger credits by kind: applied, or refused as a repeat of one already written',
  },
  notices: {
    name: 'vpnflow_notices',
    help: 'Client notices by kind and outcome: sent, already-sent (a retry), failed (an attempt)',
  },
  meteringRouterFailures: {
    name: 'vpnflow_metering_router_failures',
    help: 'Metering passes that gave up on a router',
  },
  meteredAccounts: {
    name: 'vpnflow_metering_accounts',
    help: 'Accounts whose counters metering read, by router',
  },
  billedBytes: {
    name: 'vpnflow_billed_bytes',
    help: 'Bytes of usage written to the ledger, by router and by who read them (pass, close-watch, final)',
  },
  meteringPassSeconds: {
    name: 'vpnflow_metering_pass_seconds',
    help: 'Duration of a whole metering pass over the routers it meters',
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
  },
  meteringRouterSeconds: {
    name: 'vpnflow_metering_router_seconds',
    help: "Duration of one router's reading and recording within a pass",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
  },
  enforcementSeconds: {
    name: 'vpnflow_enforcement_seconds',
    help: 'From the reading that found the traffic spent to the router confirming the limit',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900],
  },
} as const;

/** Bucket boundaries of vpnflow's histograms, for the Prometheus exporter. */
export const WORKER_HISTOGRAM_BUCKETS: Record<string, number[]> = Object.fromEntries(
  [
    WORKER_METRICS.meteringPassSeconds,
    WORKER_METRICS.meteringRouterSeconds,
    WORKER_METRICS.enforcementSeconds,
  ].map(({ name, buckets }) => [name, [...buckets]]),
);
