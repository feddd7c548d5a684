/** Workflow and schedule ids: stable names are what make starts idempotent. */
export const USAGE_RETENTION_SCHEDULE_ID = 'usage-retention';

export function manualUsageRetentionWorkflowId(at: Date): string {
  return `usage-retention-manual-${at.toISOString()}`;
}

export function serviceWorkflowId(serviceId: number | string): string {
  return `vpn-service-${serviceId}`;
}
