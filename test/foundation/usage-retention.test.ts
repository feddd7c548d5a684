import { createRetentionActivities } from '../../activities/retention';
import { createUsageRetentionStore } from '../../store/usage-store';
import { insertRouter, insertService } from '../helpers/fixtures';
import { startHarness, type Harness } from '../helpers/harness';

/** The first whole path: HTTP → API → Temporal workflow on the dev server → activity → PostgreSQL. */
describe('usage retention, end to end', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      activities: (_real, db) =>
        createRetentionActivities({
          usageRetention: createUsageRetentionStore(db),
          today: () => '2026-11-25',
        }),
    });
  });
  afterAll(() => harness.close());

  it('deletes only the days older than each product keeps', async () => {
    const { db } = harness.stack;
    const routerId = await insertRouter(db);
    const keepsTen = await insertService(db, routerId, { product: { historyDays: 10 } });
    const keepsAll = await insertService(db, routerId, { product: { historyDays: 0 } });
    const days = ['2026-11-24', '2026-11-15', '2026-11-14', '2026-10-01'];
    for (const serviceId of [keepsTen, keepsAll]) {
      await db('daily_usage').insert(
        days.map((day) => ({ service_id: serviceId, day, download_bytes: 1n, upload_bytes: 1n })),
      );
    }

    const response = await harness.admin('POST', '/v1/admin/maintenance/usage-retention');
    expect(response.status).toBe(200);
    expect(response.body.day).toBe('2026-11-25');
    expect(response.body.deletedRows).toBeGreaterThanOrEqual(2);

    const remaining = async (serviceId: number) =>
      (await db('daily_usage').where({ service_id: serviceId }).orderBy('day', 'desc')).map((row) => row.day);
    expect(await remaining(keepsTen)).toEqual(['2026-11-24', '2026-11-15']);
    expect(await remaining(keepsAll)).toEqual(days);

    const described = await harness.stack.client.workflow.getHandle(response.body.workflowId).describe();
    expect(described.status.name).toBe('COMPLETED');
  });

  it('refuses a caller without the admin token, in the one error shape', async () => {
    const response = await fetch(`${harness.baseUrl}/v1/admin/maintenance/usage-retention`, {
      method: 'POST',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'unauthorized', message: 'A valid admin bearer token is required' },
    });
  });

  it('reports the database and Temporal as up', async () => {
    const response = await fetch(`${harness.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'up', temporal: 'up' });
  });
});
