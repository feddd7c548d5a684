import { createHash } from 'node:crypto';
import type { NoticeKey } from '../store/notice-store';

/**
 * The Message-ID of a notice, derived from its idempotency key alone: a notice sent twice (a crash
 * between sending and recording it) arrives twice with one Message-ID, which mail clients and
 * support staff recognise as one message.
 */
export function noticeMessageId(key: NoticeKey, domain: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([key.serviceId, key.kind, key.cycleKey]))
    .digest('hex')
    .slice(0, 32);
  return `<vpnflow.${key.kind}.${key.serviceId}.${digest}@${domain}>`;
}

/** The domain of the sender's address, from `name@domain` or `"Name" <name@domain>`. */
export function senderDomain(from: string): string {
  const match = /@([^\s@<>]+)>?\s*$/.exec(from);
  if (match?.[1] === undefined) throw new Error(`The sender address has no domain: ${from}`);
  return match[1];
}
