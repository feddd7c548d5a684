import { formatDate, formatGigabytes } from './format';
import { SafeHtml } from './html';
import { resolveLocale, type Locale } from './locale';
import { translateText, type MessageKey } from './messages';
import type { NoticeKind } from './notice-kinds';
import { compiledTemplate, fillTemplate } from './templates';

export interface NoticeData {
  clientName?: string | null;
  serviceUsername: string;
  serverHostname: string;
  /** The traffic balance now: left before the limit (low balance), available after a top-up (restored). */
  remainingBytes: bigint;
  /** The product's low-balance threshold; required for a low-balance notice. */
  thresholdBytes?: bigint | null;
  /** The boundary at which the current cycle ends and the next allowance is granted; null when none comes. */
  cycleEndsAt: Date | null;
  companyName: string;
  clientAreaUrl: string;
}

export interface RenderedNotice {
  locale: Locale;
  subject: string;
  html: string;
  text: string;
}

/** Data that cannot make a correct notice: retrying cannot help. */
export class InvalidNoticeDataError extends Error {
  override readonly name = 'InvalidNoticeDataError';
}

const MESSAGE_GROUP = {
  'low-balance': 'lowBalance',
  'traffic-exhausted': 'trafficExhausted',
  'traffic-restored': 'trafficRestored',
} as const satisfies Record<NoticeKind, string>;

type DetailField = 'username' | 'server' | 'remaining' | 'threshold' | 'renewsOn';

/** The same rows, in the same order, as the table in each kind's MJML template. */
const DETAIL_FIELDS: Readonly<Record<NoticeKind, readonly DetailField[]>> = {
  'low-balance': ['username', 'server', 'remaining', 'threshold', 'renewsOn'],
  'traffic-exhausted': ['username', 'server', 'renewsOn'],
  'traffic-restored': ['username', 'server', 'remaining', 'renewsOn'],
};

const DETAIL_LABELS: Readonly<Record<DetailField, MessageKey>> = {
  username: 'email.common.usernameLabel',
  server: 'email.common.serverLabel',
  remaining: 'email.common.remainingLabel',
  threshold: 'email.common.thresholdLabel',
  renewsOn: 'email.common.renewsOnLabel',
};

export function assertHttpUrl(url: string, what: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidNoticeDataError(`${what} is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InvalidNoticeDataError(`${what} must be an http(s) URL: ${url}`);
  }
}

/** Names and hostnames go into one-line places (subject, table cells): line breaks and controls become spaces. */
function singleLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function withoutUndefined<T>(values: Record<string, T | undefined>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, T] => entry[1] !== undefined),
  );
}

/** Everything a notice says, in its locale, before it is laid out as HTML or as plain text. */
interface NoticeContent {
  locale: Locale;
  subject: string;
  heading: string;
  greeting: string;
  intro: { text: string; html: SafeHtml };
  renewal: { text: string; html: SafeHtml } | undefined;
  action: string;
  facts: Partial<Record<DetailField, string>>;
  labels: Record<DetailField, string>;
  company: string;
  clientAreaUrl: string;
}

function noticeContent(kind: NoticeKind, locale: Locale, data: NoticeData): NoticeContent {
  const group = MESSAGE_GROUP[kind];
  const threshold = data.thresholdBytes ?? undefined;
  const facts = withoutUndefined({
    username: singleLine(data.serviceUsername),
    server: singleLine(data.serverHostname),
    remaining: formatGigabytes(locale, data.remainingBytes),
    threshold: threshold === undefined ? undefined : formatGigabytes(locale, threshold),
    renewsOn: data.cycleEndsAt === null ? undefined : formatDate(locale, data.cycleEndsAt),
  });
  const sentenceValues = withoutUndefined({ ...facts, date: facts.renewsOn });
  const emphasized = Object.fromEntries(
    Object.entries(sentenceValues).map(([key, value]) => [key, SafeHtml.strong(value)]),
  );
  const sentence = (key: MessageKey) => ({
    text: translateText(locale, key, sentenceValues),
    html: SafeHtml.translate(locale, key, emphasized),
  });
  const name = singleLine(data.clientName ?? '');
  const labels = Object.fromEntries(
    Object.entries(DETAIL_LABELS).map(([field, key]) => [field, translateText(locale, key)]),
  ) as Record<DetailField, string>;

  return {
    locale,
    subject: translateText(locale, `email.${group}.subject`, sentenceValues),
    heading: translateText(locale, `email.${group}.heading`),
    greeting:
      name === ''
        ? translateText(locale, 'email.common.greetingWithoutName')
        : translateText(locale, 'email.common.greeting', { name }),
    intro: sentence(`email.${group}.intro`),
    renewal: facts.renewsOn === undefined ? undefined : sentence(`email.${group}.renewal`),
    action: translateText(locale, `email.${group}.action`),
    facts,
    labels,
    company: singleLine(data.companyName),
    clientAreaUrl: data.clientAreaUrl,
  };
}

function noticeHtml(template: string, content: NoticeContent): string {
  const { locale, company } = content;
  return fillTemplate(template, {
    ...content.facts,
    ...Object.fromEntries(Object.entries(content.labels).map(([field, label]) => [`${field}Label`, label])),
    lang: locale,
    subject: content.subject,
    preview: content.intro.text,
    companyName: company,
    heading: content.heading,
    greeting: content.greeting,
    intro: content.intro.html,
    renewal: content.renewal?.html,
    action: content.action,
    clientAreaUrl: content.clientAreaUrl,
    clientAreaButton: translateText(locale, 'email.common.clientAreaButton'),
    regards: translateText(locale, 'email.common.regards'),
    footer: translateText(locale, 'email.common.footer', { company }),
  });
}

function noticeText(kind: NoticeKind, content: NoticeContent): string {
  const { locale, company } = content;
  const details = DETAIL_FIELDS[kind].flatMap((field) => {
    const value = content.facts[field];
    return value === undefined ? [] : [{ label: `${content.labels[field]}:`, value }];
  });
  const labelWidth = Math.max(...details.map((row) => row.label.length));
  const paragraphs = [
    content.heading,
    content.greeting,
    content.intro.text,
    details.map((row) => `${row.label.padEnd(labelWidth)}  ${row.value}`).join('\n'),
    content.renewal?.text,
    content.action,
    translateText(locale, 'email.common.clientAreaLink', { url: content.clientAreaUrl }),
    `${translateText(locale, 'email.common.regards')}\n${company}`,
    `-- \n${translateText(locale, 'email.common.footer', { company })}`,
  ];
  return `${paragraphs.filter((paragraph) => paragraph !== undefined).join('\n\n')}\n`;
}

/** Subject, HTML and plain text of one notice in the client's language (WHMCS name or ISO code). */
export async function renderNotice(
  kind: NoticeKind,
  language: string | null | undefined,
  data: NoticeData,
): Promise<RenderedNotice> {
  assertHttpUrl(data.clientAreaUrl, 'the client area URL');
  if (kind === 'low-balance' && (data.thresholdBytes ?? undefined) === undefined) {
    throw new InvalidNoticeDataError('a low-balance notice needs thresholdBytes');
  }
  const content = noticeContent(kind, resolveLocale(language), data);
  return {
    locale: content.locale,
    subject: content.subject,
    html: noticeHtml(await compiledTemplate(kind), content),
    text: noticeText(kind, content),
  };
}
