import { LOCALE_BY_WHMCS_LANGUAGE } from '../locales/whmcs-languages';

export const SUPPORTED_LOCALES = ['en', 'pl', 'de', 'ru', 'uk', 'es'] as const;

export type Locale = (typeof SUPPORTED_LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

const LOCALE_BY_LANGUAGE: ReadonlyMap<string, Locale> = new Map(LOCALE_BY_WHMCS_LANGUAGE);

function isSupportedLocale(value: string): value is Locale {
  return (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/**
 * Maps a WHMCS client language (`english`, `Polish`, ...) or an ISO 639 code, with or without a
 * region (`pl`, `de-AT`, `es_ES`, `ukr`), to a supported locale; anything else is English.
 */
export function resolveLocale(language: string | null | undefined): Locale {
  const normalized = (language ?? '').trim().toLowerCase();
  const [primary = ''] = normalized.split(/[-_]/);
  if (isSupportedLocale(primary)) return primary;
  return LOCALE_BY_LANGUAGE.get(normalized) ?? LOCALE_BY_LANGUAGE.get(primary) ?? DEFAULT_LOCALE;
}
