/** The customer notices vpnflow sends; the value is also the `kind` stored with each sent notice. */
export const NOTICE_KINDS = ['low-balance', 'traffic-exhausted', 'traffic-restored'] as const;

export type NoticeKind = (typeof NOTICE_KINDS)[number];

export function isNoticeKind(value: unknown): value is NoticeKind {
  return typeof value === 'string' && (NOTICE_KINDS as readonly string[]).includes(value);
}
