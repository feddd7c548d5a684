import { Context } from '@temporalio/activity';

/**
 * Counts an event on the worker's Prometheus endpoint (`vpnflow_*`), through the activity's Temporal
 * metric meter, so that it carries the same task queue and namespace labels as the SDK's own metrics.
 */
export function countEvent(name: string, help: string, tags: Record<string, string>): void {
  Context.current().metricMeter.createCounter(name, 'events', help).add(1, tags);
}
