export {
  createMailActivities,
  type MailActivities,
  type MailActivityDeps,
  type NoticeFacts,
  type SendNoticeInput,
  type SendNoticeResult,
} from './mail-activities';
export { DeliveryUncertainError, RecipientRejectedError, type MailMessage, type Mailer } from './mailer';
export { NOTICE_KINDS, isNoticeKind, type NoticeKind } from './notice-kinds';
export type { NoticeClaim, NoticeKey, NoticeStore } from '../store/notice-store';
export { resolveLocale, SUPPORTED_LOCALES, type Locale } from './locale';
export { renderNotice, type NoticeData, type RenderedNotice } from './render-notice';
export { createSmtpMailer, type SmtpMailerOptions } from './smtp-mailer';
