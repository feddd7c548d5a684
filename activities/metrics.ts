import { asyncLocalStorage } from '@temporalio/activity';

interface MetricDefinition {
  name: string;
  help: string;
}

/**
 * The running activity's Temporal metric meter, so that vpnflow's metrics carry the same task queue
 * and namespace labels as the SDK's own; none when an activity is called outside a worker (benchmarks).
 */
const meter = () => asyncLocalStorage.getStore()?.metricMeter;

/** Adds to a counter on the worker's Prometheus endpoint (`domain/worker-metrics.ts`). */
export function addToCounter(metric: MetricDefinition, value: number, tags: Record<string, string>): void {
  meter()?.createCounter(metric.name, 'events', metric.help).add(value, tags);
}

/** Records one value of a histogram on the worker's Prometheus endpoint, in seconds. */
export function recordSeconds(metric: MetricDefinition, seconds: number, tags: Record<string, string>): void {
  meter()?.createHistogram(metric.name, 'float', 's', metric.help).record(seconds, tags);
}
