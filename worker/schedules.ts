import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import { USAGE_RETENTION_SCHEDULE_ID } from '../domain/workflow-ids';
import type { Logger } from '../infra/logger';

/**
 * Registers the project's Temporal Schedules; safe to call on every worker start. An existing
 * schedule is updated to the current definition so that changes in code reach running clusters.
 */
export async function ensureSchedules(client: Client, taskQueue: string, logger: Logger): Promise<void> {
  const retention: ScheduleOptions = {
    scheduleId: USAGE_RETENTION_SCHEDULE_ID,
    spec: { calendars: [{ hour: 3, minute: 17 }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'usageRetentionWorkflow',
      workflowId: 'usage-retention',
      taskQueue,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
  try {
    await client.schedule.create(retention);
    logger.info({ scheduleId: retention.scheduleId }, 'schedule created');
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(retention.scheduleId).update((previous) => ({
      ...previous,
      spec: retention.spec,
      action: retention.action,
      policies: retention.policies,
    }));
    logger.info({ scheduleId: retention.scheduleId }, 'schedule updated');
  }
}
