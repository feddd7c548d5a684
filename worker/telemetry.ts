import { Runtime } from '@temporalio/worker';
import { WORKER_HISTOGRAM_BUCKETS } from '../domain/worker-metrics';

/**
 * Installs the Temporal runtime with its Prometheus exporter: the SDK's own metrics (task latencies,
 * slots, polls, activity and workflow outcomes) and every metric vpnflow records through Temporal's
 * metric meter in workflows and activities, at `http://<bindAddress>/metrics`. Must run before the
 * first connection is made.
 */
export function installRuntimeWithMetrics(bindAddress: string): void {
  Runtime.install({
    telemetryOptions: {
      metrics: {
        metricPrefix: 'temporal_',
        prometheus: {
          bindAddress,
          countersTotalSuffix: true,
          useSecondsForDurations: true,
          histogramBucketOverrides: WORKER_HISTOGRAM_BUCKETS,
        },
      },
    },
  });
}
