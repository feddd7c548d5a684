import { randomUUID } from 'node:crypto';
import { createNoticeStore, type NoticeKey } from '../../store/notice-store';
import { insertRouter, insertService } from '../helpers/fixtures';
import { connectTestStack, type ConnectedTestStack } from '../helpers/stack';

describe('the notice store on PostgreSQL', () => {
  let stack: ConnectedTestStack;
  beforeAll(async () => {
    stack = await connectTestStack();
  });
  afterAll(() => stack.close());

  async function newKey(): Promise<NoticeKey> {
    const serviceId = await insertService(stack.db, await insertRouter(stack.db));
    return { serviceId, kind: 'low-balance', cycleKey: '2026-11-01T00:00:00.000Z' };
  }
  const claimOf = (claimant = randomUUID(), leaseMs = 60_000) => ({
    claimant,
    messageId: `<notice-${claimant}@example.net>`,
    leaseMs,
  });

  it('lets exactly one of many simultaneous attempts claim a notice', async () => {
    const store = createNoticeStore(stack.db);
    const key = await newKey();
    const results = await Promise.all(Array.from({ length: 10 }, () => store.claim(key, claimOf())));
    expect(results.filter((result) => result.status === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'busy')).toHaveLength(9);
  });

  it('answers "sent" with the first Message-ID once the notice went out, whatever the lease', async () => {
    const store = createNoticeStore(stack.db);
    const key = await newKey();
    const first = claimOf(randomUUID(), 1);
    expect(await store.claim(key, first)).toEqual({ status: 'claimed' });
    await store.markSent(key);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await store.claim(key, claimOf())).toEqual({ status: 'sent', messageId: first.messageId });
    const rows = await stack.db('notifications').where({ service_id: key.serviceId });
    expect(rows).toHaveLength(1);
    expect(rows[0].sent_at).toBeInstanceOf(Date);
  });

  it('keeps a live claim busy and hands an expired one to the next attempt', async () => {
    const store = createNoticeStore(stack.db);
    const key = await newKey();
    expect(await store.claim(key, claimOf(randomUUID(), 300))).toEqual({ status: 'claimed' });
    const busy = await store.claim(key, claimOf());
    expect(busy.status).toBe('busy');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const takeover = claimOf();
    expect(await store.claim(key, takeover)).toEqual({ status: 'claimed' });
    const row = await stack.db('notifications').where({ service_id: key.serviceId }).first();
    expect(row.claimant).toBe(takeover.claimant);
    expect(row.message_id).toBe(takeover.messageId);
  });

  it('releases only the claimant’s own unsent claim', async () => {
    const store = createNoticeStore(stack.db);
    const key = await newKey();
    const owner = claimOf();
    await store.claim(key, owner);
    await store.release(key, randomUUID());
    expect((await store.claim(key, claimOf())).status).toBe('busy');
    await store.release(key, owner.claimant);
    expect(await store.claim(key, claimOf())).toEqual({ status: 'claimed' });
  });

  it('keeps each kind and cycle apart', async () => {
    const store = createNoticeStore(stack.db);
    const key = await newKey();
    await store.claim(key, claimOf());
    await store.markSent(key);
    expect(await store.claim({ ...key, kind: 'traffic-exhausted' }, claimOf())).toEqual({
      status: 'claimed',
    });
    expect(await store.claim({ ...key, cycleKey: '2026-12-01T00:00:00.000Z' }, claimOf())).toEqual({
      status: 'claimed',
    });
  });
});
