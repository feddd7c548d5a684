import type { Locale } from '../notices/locale';

/**
 * WHMCS stores a client's language as the name of its language file; "ukranian" is WHMCS's own
 * spelling. The e-mails (notices/locale.ts), the client-area widget and, through the copy
 * `npm run whmcs:strings` writes, the WHMCS module all map languages with this one table.
 */
export const LOCALE_BY_WHMCS_LANGUAGE: ReadonlyArray<readonly [string, Locale]> = [
  ['english', 'en'],
  ['polish', 'pl'],
  ['german', 'de'],
  ['russian', 'ru'],
  ['ukrainian', 'uk'],
  ['ukranian', 'uk'],
  ['spanish', 'es'],
  ['eng', 'en'],
  ['pol', 'pl'],
  ['deu', 'de'],
  ['ger', 'de'],
  ['rus', 'ru'],
  ['ukr', 'uk'],
  ['spa', 'es'],
  ['ua', 'uk'],
];
