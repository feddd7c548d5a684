/** Workflow and schedule ids: stable names are what make starts idempotent. */
export const USAGE_RETENTION_SCHEDULE_ID = 'usage-retention';

/** One id for every manual run: administrators who ask at the same time share the run in progress. */
export const MANUAL_USAGE_RETENTION_WORKFLOW_ID = 'usage-retention-manual';

export function serviceWorkflowId(serviceId: number | string): string {
  return `vpn-service-${serviceId}`;
}
