import { randomUUID } from 'node:crypto';
import { meteringScheduleOptions } from '../../worker/schedules';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

describe('the metering schedule', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  it('is accepted by Temporal with its interval, overlap skip and catch-up window', async () => {
    const taskQueue = stack.uniqueTaskQueue('metering-schedule');
    // Created paused under an id of its own: a run would meter every router of the shared database.
    const options = {
      ...meteringScheduleOptions(taskQueue, 120),
      scheduleId: `metering-test-${randomUUID()}`,
      state: { paused: true },
    };
    const handle = await stack.client.schedule.create(options);
    try {
      const described = await handle.describe();
      expect(described.spec.intervals).toMatchObject([{ every: 120_000 }]);
      expect(described.policies).toMatchObject({ overlap: 'SKIP', catchupWindow: 600_000 });
      expect(described.action).toMatchObject({
        workflowType: 'scheduledMeteringWorkflow',
        taskQueue,
        args: [{}],
      });
      expect(meteringScheduleOptions(taskQueue).spec.intervals).toEqual([{ every: '300s' }]);
    } finally {
      await handle.delete();
    }
  });
});
