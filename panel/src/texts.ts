import type { Locale } from '../../notices/locale';
import { fillPlaceholders } from '../../notices/messages';
import { panel as de } from '../../locales/de.json';
import { panel as en } from '../../locales/en.json';
import { panel as es } from '../../locales/es.json';
import { panel as pl } from '../../locales/pl.json';
import { panel as ru } from '../../locales/ru.json';
import { panel as uk } from '../../locales/uk.json';

export type PanelTexts = typeof en;

/** Typing every catalog as English's shape makes a missing key a compile error, never a raw key on screen. */
export const PANEL_TEXTS: Readonly<Record<Locale, PanelTexts>> = { en, pl, de, ru, uk, es };

/** A catalog string with its `{name}` placeholders filled in. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return fillPlaceholders(
    template,
    values,
    (text) => text,
    (value) => String(value),
  );
}

const BYTES_PER_GB = 1e9;

/** Numbers, dates and amounts the way the client's language writes them; GB = 10^9 bytes. */
export class PanelFormat {
  private readonly number: Intl.NumberFormat;
  private readonly dateTimeFormat: Intl.DateTimeFormat;
  private readonly timeFormat: Intl.DateTimeFormat;
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly shortDayFormat: Intl.DateTimeFormat;
  private readonly monthFormat: Intl.DateTimeFormat;

  constructor(
    readonly locale: Locale,
    readonly texts: PanelTexts = PANEL_TEXTS[locale],
  ) {
    this.number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    this.dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    this.timeFormat = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
    // Usage days and months are calendar dates in UTC, as vpnflow stores them.
    this.dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    this.shortDayFormat = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
    this.monthFormat = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  }

  /** Bytes as GB: a number, for charts. */
  gbValue(bytes: string): number {
    return Number(bytes) / BYTES_PER_GB;
  }

  /** Bytes as "1.5 GB" / "1,5 GB". */
  gb(bytes: string): string {
    return fill(this.texts.common.gb, { amount: this.number.format(this.gbValue(bytes)) });
  }

  /** An addition such as "+100 GB"; negative adjustments keep their minus sign. */
  signedGb(bytes: string): string {
    const amount = this.gbValue(bytes);
    const text = fill(this.texts.common.gb, { amount: this.number.format(Math.abs(amount)) });
    return `${amount < 0 ? '−' : '+'}${text}`;
  }

  dateTime(iso: string): string {
    return this.dateTimeFormat.format(new Date(iso));
  }

  time(iso: string): string {
    return this.timeFormat.format(new Date(iso));
  }

  /** A YYYY-MM-DD day. */
  day(day: string): string {
    return this.dayFormat.format(new Date(`${day}T00:00:00Z`));
  }

  /** A YYYY-MM-DD day, short, for chart labels. */
  shortDay(day: string): string {
    return this.shortDayFormat.format(new Date(`${day}T00:00:00Z`));
  }

  /** A YYYY-MM month. */
  month(month: string): string {
    return this.monthFormat.format(new Date(`${month}-01T00:00:00Z`));
  }

  uptime(seconds: number): string {
    const two = (value: number) => String(Math.floor(value)).padStart(2, '0');
    const clock = `${two((seconds % 86_400) / 3_600)}:${two((seconds % 3_600) / 60)}:${two(seconds % 60)}`;
    return fill(this.texts.connection.uptimeValue, {
      days: this.number.format(Math.floor(seconds / 86_400)),
      clock,
    });
  }
}
