import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { NOTICE_FAILURE } from '../domain/failures';
import { DeliveryUncertainError, RecipientRejectedError, type Mailer } from './mailer';
import { noticeMessageId, senderDomain } from './message-id';
import { isNoticeKind, type NoticeKind } from './notice-kinds';
import type { NoticeKey, NoticeStore } from '../store/notice-store';
import { assertHttpUrl, InvalidNoticeDataError, renderNotice, type RenderedNotice } from './render-notice';

export interface MailActivityDeps {
  mailer: Mailer;
  store: NoticeStore;
  companyName: string;
  /** The WHMCS client area the notices link to, e.g. `https://billing.example.com/clientarea.php`. */
  clientAreaUrl: string;
  /** The sender, `noreply@example.com` or `"Example VPN" <noreply@example.com>`; its domain ends each Message-ID. */
  from: string;
  /** How long a claim keeps other attempts off a notice; must outlast the activity's start-to-close timeout. */
  claimLeaseMs?: number;
}

/** What the workflow knows about the service, as plain JSON: bytes are decimal strings, instants ISO 8601. */
export interface NoticeFacts {
  clientName?: string | null;
  serviceUsername: string;
  serverHostname: string;
  remainingBytes: string;
  /** Required for a low-balance notice. */
  thresholdBytes?: string | null;
  /** The next cycle boundary (ISO instant, or ISO date meaning UTC midnight); null for One Time and Free Account. */
  cycleEndsAt: string | null;
}

export interface SendNoticeInput {
  serviceId: number;
  kind: NoticeKind;
  /** Identifies the billing cycle the notice belongs to: the same notice is sent once per cycle key. */
  cycleKey: string;
  to: string;
  /** The client's WHMCS language (`english`, `polish`, ...) or an ISO code; anything else means English. */
  language?: string | null;
  data: NoticeFacts;
}

export interface SendNoticeResult {
  status: 'sent' | 'already-sent';
  messageId: string;
}

const DEFAULT_CLAIM_LEASE_MS = 10 * 60_000;

const EMAIL_ADDRESS = /^[^\s@<>()[\]\\,;:"]{1,64}@(?:[^\s@<>()[\]\\,;:".]+\.)+[^\s@<>()[\]\\,;:".]{2,}$/u;

const bytes = z.string().regex(/^-?\d+$/, 'expected a whole number of bytes as a decimal string');

const inputSchema = z.object({
  serviceId: z.number().int().positive(),
  cycleKey: z.string().min(1).max(200),
  language: z.string().nullish(),
  data: z.object({
    clientName: z.string().nullish(),
    serviceUsername: z.string().min(1),
    serverHostname: z.string().min(1),
    remainingBytes: bytes,
    thresholdBytes: bytes.nullish(),
    cycleEndsAt: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).nullable(),
  }),
});

function validate(input: SendNoticeInput): z.infer<typeof inputSchema> & { kind: NoticeKind } {
  if (!isNoticeKind(input.kind)) {
    throw ApplicationFailure.nonRetryable(
      `Unknown notice kind: ${String(input.kind)}`,
      NOTICE_FAILURE.unknownKind,
    );
  }
  if (typeof input.to !== 'string' || input.to.length > 254 || !EMAIL_ADDRESS.test(input.to)) {
    throw ApplicationFailure.nonRetryable(
      `Not a usable e-mail address: ${JSON.stringify(input.to)}`,
      NOTICE_FAILURE.invalidAddress,
    );
  }
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw ApplicationFailure.nonRetryable(
      `Invalid notice input: ${z.prettifyError(parsed.error)}`,
      NOTICE_FAILURE.invalidInput,
    );
  }
  return { ...parsed.data, kind: input.kind };
}

/** Renders with the validated input; data that cannot make a notice fails for good. */
async function renderOrFail(
  kind: NoticeKind,
  language: string | null | undefined,
  facts: z.infer<typeof inputSchema>['data'],
  deps: MailActivityDeps,
): Promise<RenderedNotice> {
  try {
    return await renderNotice(kind, language, {
      clientName: facts.clientName,
      serviceUsername: facts.serviceUsername,
      serverHostname: facts.serverHostname,
      remainingBytes: BigInt(facts.remainingBytes),
      thresholdBytes:
        facts.thresholdBytes === undefined || facts.thresholdBytes === null
          ? null
          : BigInt(facts.thresholdBytes),
      cycleEndsAt: facts.cycleEndsAt === null ? null : new Date(facts.cycleEndsAt),
      companyName: deps.companyName,
      clientAreaUrl: deps.clientAreaUrl,
    });
  } catch (error) {
    if (error instanceof InvalidNoticeDataError) {
      throw ApplicationFailure.nonRetryable(error.message, NOTICE_FAILURE.invalidInput);
    }
    throw error;
  }
}

export function createMailActivities(deps: MailActivityDeps) {
  assertHttpUrl(deps.clientAreaUrl, 'the client area URL');
  if (deps.companyName.trim() === '') throw new Error('The company name for e-mails is empty');
  const messageIdDomain = senderDomain(deps.from);
  const leaseMs = deps.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;

  return {
    /**
     * Sends one customer notice at most once per (service, kind, cycle). Attempts claim the notice
     * before sending (so concurrent attempts cannot both send) and mark it sent after; a crash in
     * between means one repeat, with the same Message-ID, once the claim's lease has run out.
     */
    async sendNotice(input: SendNoticeInput): Promise<SendNoticeResult> {
      const { serviceId, kind, cycleKey, language, data } = validate(input);
      const key: NoticeKey = { serviceId, kind, cycleKey };
      const messageId = noticeMessageId(key, messageIdDomain);

      const rendered = await renderOrFail(kind, language, data, deps);

      const claimant = randomUUID();
      const claim = await deps.store.claim(key, { claimant, messageId, leaseMs });
      if (claim.status === 'sent') return { status: 'already-sent', messageId: claim.messageId };
      if (claim.status === 'busy') {
        throw new Error(
          `Notice ${kind} for service ${serviceId} (${cycleKey}) is being sent by another attempt, claimed until ${claim.claimedUntil.toISOString()}`,
        );
      }

      try {
        await deps.mailer.send({
          from: deps.from,
          to: input.to,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          messageId,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        // A message that may have gone out keeps its claim until the lease ends, so a retry cannot
        // send it twice at once. A release that fails leaves the claim to expire; the send error is
        // the one to report.
        if (!(error instanceof DeliveryUncertainError)) {
          await deps.store.release(key, claimant).catch(() => undefined);
        }
        if (error instanceof RecipientRejectedError) {
          throw ApplicationFailure.create({
            message: error.message,
            type: NOTICE_FAILURE.recipientRejected,
            nonRetryable: true,
            cause: error,
          });
        }
        throw error;
      }
      await deps.store.markSent(key);
      return { status: 'sent', messageId };
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
