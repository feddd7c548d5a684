import type { NoticeKind } from './notice-kinds';

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
