import { log } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { cycleStart, nextBoundary } from '../../domain/cycle-clock';
import { toInstant } from '../../domain/instants';
import { gbToBytes } from '../../domain/units';
import { failureText } from '../activity-failures';
import { clientMail } from '../activity-options';
import type { VpnService } from './service';

type NoticeKind = Parameters<Activities['notifyClient']>[0]['kind'];

/** Notices already sent, as `<kind>@<cycle start>`: enough for the last few cycles of every kind. */
const NOTICES_REMEMBERED = 24;

/** The client's notices about their traffic: which were sent this cycle, and which are still on their way. */
export class ClientNotices {
  private inFlight = 0;

  constructor(
    private readonly service: VpnService,
    /** Carried across continue-as-new, newest last. */
    public sent: string[],
  ) {}

  get settled(): boolean {
    return this.inFlight === 0;
  }

  /**
   * Tells the client about their traffic, once per kind and billing cycle, without holding up the
   * workflow: the send runs beside it and is awaited only before the run ends.
   */
  notify(kind: NoticeKind, balance: bigint): void {
    const { serviceId, routerId, clock, cycleAnchor, state } = this.service;
    const now = toInstant(Date.now());
    const cycleKey = cycleStart(clock, state.billingCycle, cycleAnchor, now);
    const sentKey = `${kind}@${cycleKey}`;
    if (this.sent.includes(sentKey)) return;
    this.sent = [...this.sent, sentKey].slice(-NOTICES_REMEMBERED);
    this.inFlight += 1;
    void clientMail
      .notifyClient({
        serviceId,
        routerId,
        kind,
        cycleKey,
        to: this.service.clientEmail,
        language: this.service.clientLanguage,
        username: state.username,
        remainingBytes: balance.toString(),
        thresholdBytes: gbToBytes(state.product.lowBalanceThresholdGb).toString(),
        cycleEndsAt: nextBoundary(clock, state.billingCycle, cycleAnchor, now),
      })
      .catch((error: unknown) =>
        log.warn('client notice not sent', { kind, cycleKey, error: failureText(error) }),
      )
      .finally(() => {
        this.inFlight -= 1;
      });
  }
}
