import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type ScheduleOptions,
} from '@temporalio/client';
import { USAGE_RETENTION_SCHEDULE_ID } from '../domain/workflow-ids';
import type { Logger } from '../infra/logger';
import { PayloadDecryptionError } from '../infra/payload-codec';
import { scheduledMeteringWorkflow, usageRetentionWorkflow } from '../workflows';

export const METERING_SCHEDULE_ID = 'metering';
export const DEFAULT_METERING_INTERVAL_SECONDS = 300;

function usageRetentionScheduleOptions(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: USAGE_RETENTION_SCHEDULE_ID,
    spec: { calendars: [{ hour: 3, minute: 17 }] },
    action: {
      type: 'startWorkflow',
      workflowType: usageRetentionWorkflow,
      workflowId: 'usage-retention',
      taskQueue,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/**
 * One full pass per interval: every enabled router metered, and each one's close watch started if it
 * is not running. A pass still running (or waiting for a manual one) when the next is due skips it.
 */
export function meteringScheduleOptions(
  taskQueue: string,
  intervalSeconds = DEFAULT_METERING_INTERVAL_SECONDS,
): ScheduleOptions {
  return {
    scheduleId: METERING_SCHEDULE_ID,
    spec: { intervals: [{ every: `${intervalSeconds}s` }] },
    action: {
      type: 'startWorkflow',
      workflowType: scheduledMeteringWorkflow,
      workflowId: 'metering',
      taskQueue,
      args: [{}],
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '10 minutes' },
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
      await updateSchedule(client, schedule, logger);
    }
  }
}

async function updateSchedule(client: Client, schedule: ScheduleOptions, logger: Logger): Promise<void> {
  const handle = client.schedule.getHandle(schedule.scheduleId);
  try {
    await handle.update((previous) => ({
      ...previous,
      spec: schedule.spec,
      action: schedule.action,
      policies: schedule.policies,
    }));
    logger.info({ scheduleId: schedule.scheduleId }, 'schedule updated');
  } catch (error) {
    // Its arguments were encrypted with a key this worker no longer holds (rotated out): the
    // definition cannot be read, only replaced, and everything in it is what this code defines.
    if (!(error instanceof PayloadDecryptionError)) throw error;
    // Another worker starting at the same moment may be replacing it too.
    await handle.delete().catch((deleteError: unknown) => {
      if (!(deleteError instanceof ScheduleNotFoundError)) throw deleteError;
    });
    await client.schedule.create(schedule).catch((createError: unknown) => {
      if (!(createError instanceof ScheduleAlreadyRunning)) throw createError;
    });
    logger.warn(
      { scheduleId: schedule.scheduleId, reason: error.message },
      'schedule written with a retired payload key: replaced',
    );
  }
}
