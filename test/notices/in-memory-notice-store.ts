import type { NoticeClaim, NoticeKey, NoticeStore } from '../../store/notice-store';

interface NoticeRow {
  claimant: string;
  messageId: string;
  claimedUntil: number;
  sentAt: Date | null;
}

/** The NoticeStore contract kept in a Map; each method yields once, like a database round trip would. */
export class InMemoryNoticeStore implements NoticeStore {
  readonly rows = new Map<string, NoticeRow>();

  static id(key: NoticeKey): string {
    return JSON.stringify([key.serviceId, key.kind, key.cycleKey]);
  }

  async claim(
    key: NoticeKey,
    claim: { claimant: string; messageId: string; leaseMs: number },
  ): Promise<NoticeClaim> {
    await Promise.resolve();
    const row = this.rows.get(InMemoryNoticeStore.id(key));
    const now = Date.now();
    if (row?.sentAt) return { status: 'sent', messageId: row.messageId };
    if (row && row.claimedUntil > now) return { status: 'busy', claimedUntil: new Date(row.claimedUntil) };
    this.rows.set(InMemoryNoticeStore.id(key), {
      claimant: claim.claimant,
      messageId: claim.messageId,
      claimedUntil: now + claim.leaseMs,
      sentAt: null,
    });
    return { status: 'claimed' };
  }

  async markSent(key: NoticeKey): Promise<void> {
    await Promise.resolve();
    const row = this.rows.get(InMemoryNoticeStore.id(key));
    if (row && row.sentAt === null) row.sentAt = new Date();
  }

  async release(key: NoticeKey, claimant: string): Promise<void> {
    await Promise.resolve();
    const row = this.rows.get(InMemoryNoticeStore.id(key));
    if (row && row.sentAt === null && row.claimant === claimant) row.claimedUntil = 0;
  }

  sentCount(): number {
    return [...this.rows.values()].filter((row) => row.sentAt !== null).length;
  }
}
