import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import { USAGE_RETENTION_SCHEDULE_ID } from '../domain/workflow-ids';
import type { Logger } from '../infra/logger';
import { meteringScheduleOptions } from '../workflows/metering';

function usageRetentionScheduleOptions(taskQueue: string): ScheduleOptions {
  return {
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
}

/**
 * Registers the project's Temporal Schedules; safe to call on every worker start. An existing
 * schedule is updated to the current definition so that changes in code reach running clusters.
 */
export async function ensureSchedules(client: Client, taskQueue: string, logger: Logger): Promise<void> {
  for (const schedule of [usageRetentionScheduleOptions(taskQueue), meteringScheduleOptions(taskQueue)]) {
    try {
      await client.schedule.create(schedule);
      logger.info({ scheduleId: schedule.scheduleId }, 'schedule created');
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(schedule.scheduleId).update((previous) => ({
        ...previous,
        spec: schedule.spec,
        action: schedule.action,
        policies: schedule.policies,
      }));
      logger.info({ scheduleId: schedule.scheduleId }, 'schedule updated');
    }
  }
}
