import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { USAGE_RETENTION_SCHEDULE_ID } from '../../domain/workflow-ids';
import { createLogger } from '../../infra/logger';
import { encryptedDataConverter, PayloadEncryptionCodec } from '../../infra/payload-codec';
import { ensureSchedules, METERING_SCHEDULE_ID } from '../../worker/schedules';
import { eventually } from '../helpers/eventually';

/**
 * Every worker registers the schedules at start-up, in a namespace of this test's own: the shared
 * namespace's schedules belong to the other test files' workers.
 */
describe('the schedules every worker registers', () => {
  const namespace = `schedules-${randomUUID()}`;
  const logger = createLogger({ level: 'silent', name: 'schedules-test' });
  let connection: Connection;
  const clientWithKey = (key: string) =>
    new Client({
      connection,
      namespace,
      dataConverter: encryptedDataConverter(new PayloadEncryptionCodec([key])),
    });

  beforeAll(async () => {
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('are created, updated on the next start, and replaced when written with a key rotated out', async () => {
    const retiredKey = randomBytes(32).toString('base64');
    const currentKey = randomBytes(32).toString('base64');
    // A namespace just registered takes a moment to reach every part of the server.
    await eventually(() => ensureSchedules(clientWithKey(retiredKey), 'queue-before', logger), {
      timeoutMs: 30_000,
      intervalMs: 500,
    });

    const current = clientWithKey(currentKey);
    await expect(current.schedule.getHandle(METERING_SCHEDULE_ID).describe()).rejects.toThrow(/unknown key/);
    await ensureSchedules(current, 'queue-after', logger);
    await ensureSchedules(current, 'queue-after', logger);

    for (const scheduleId of [METERING_SCHEDULE_ID, USAGE_RETENTION_SCHEDULE_ID]) {
      const described = await current.schedule.getHandle(scheduleId).describe();
      expect(described.action).toMatchObject({ type: 'startWorkflow', taskQueue: 'queue-after' });
    }
  });
});
