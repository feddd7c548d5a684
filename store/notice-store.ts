import type { Database } from '../infra/database';
import type { NoticeKind } from '../notices/notice-kinds';

/** One notice: at most one is sent per service, kind and cycle. */
export interface NoticeKey {
  serviceId: number;
  kind: NoticeKind;
  cycleKey: string;
}

export type NoticeClaim =
  /** This attempt owns the notice and must send it, then mark it sent (or release it on failure). */
  | { status: 'claimed' }
  /** The notice went out before; nothing to do. */
  | { status: 'sent'; messageId: string }
  /** Another attempt holds a live claim: it is sending right now, or crashed less than a lease ago. */
  | { status: 'busy'; claimedUntil: Date };

/**
 * Where sent notices are recorded, one row per NoticeKey (the `notifications` table, unique on service,
 * kind and cycle key). A claim is a lease: `claim` succeeds when there is no row, or the row is unsent
 * and its lease has run out, and records the claimant, Message-ID and lease end; in PostgreSQL one
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE sent_at IS NULL AND claimed_until < now() RETURNING`
 * does that atomically. An attempt that crashed between the SMTP send and `markSent` leaves its claim
 * to expire, after which a retry sends again with the same Message-ID.
 */
export interface NoticeStore {
  claim(
    key: NoticeKey,
    claim: { claimant: string; messageId: string; leaseMs: number },
  ): Promise<NoticeClaim>;
  /** Records the send even when the lease has meanwhile passed to another claimant: the mail did go out. */
  markSent(key: NoticeKey): Promise<void>;
  /** Ends an unsent claim early, and only the claimant's own, so a retry need not wait for the lease. */
  release(key: NoticeKey, claimant: string): Promise<void>;
}

interface ClaimRow {
  claimant: string;
  message_id: string;
  claimed_until: Date | null;
  sent_at: Date | null;
}

/** The NoticeStore on the `notifications` table: one row per (service, kind, cycle key). */
export function createNoticeStore(db: Database): NoticeStore {
  const row = (key: NoticeKey) => ({ service_id: key.serviceId, kind: key.kind, cycle_key: key.cycleKey });
  const claimOnce = async (
    key: NoticeKey,
    { claimant, messageId, leaseMs }: { claimant: string; messageId: string; leaseMs: number },
  ): Promise<NoticeClaim | 'released'> => {
    // One statement: takes a new notice or an unsent one whose lease ran out, and nothing else,
    // however many attempts race for it.
    const claimed = await db.raw<{ rows: unknown[] }>(
      `insert into notifications (service_id, kind, cycle_key, claimant, message_id, claimed_until)
         values (:serviceId, :kind, :cycleKey, :claimant, :messageId, now() + make_interval(secs => :leaseSeconds))
         on conflict (service_id, kind, cycle_key) do update
           set claimant = excluded.claimant, message_id = excluded.message_id, claimed_until = excluded.claimed_until
           where notifications.sent_at is null
             and (notifications.claimed_until is null or notifications.claimed_until < now())
         returning id`,
      { ...key, claimant, messageId, leaseSeconds: leaseMs / 1000 },
    );
    if (claimed.rows.length > 0) return { status: 'claimed' };
    const current: ClaimRow | undefined = await db('notifications')
      .where(row(key))
      .first('claimant', 'message_id', 'claimed_until', 'sent_at');
    if (!current)
      throw new Error(`notice ${key.kind} of service ${key.serviceId} vanished while being claimed`);
    if (current.sent_at) return { status: 'sent', messageId: current.message_id };
    if (current.claimed_until === null) return 'released';
    return { status: 'busy', claimedUntil: current.claimed_until };
  };

  return {
    async claim(key, claim): Promise<NoticeClaim> {
      for (;;) {
        const outcome = await claimOnce(key, claim);
        // Released between the two statements of claimOnce: free again, so try again.
        if (outcome !== 'released') return outcome;
      }
    },

    async markSent(key) {
      await db('notifications').where(row(key)).whereNull('sent_at').update({ sent_at: db.fn.now() });
    },

    async release(key, claimant) {
      await db('notifications')
        .where({ ...row(key), claimant })
        .whereNull('sent_at')
        .update({ claimed_until: null });
    },
  };
}
