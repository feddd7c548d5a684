import path from 'node:path';
import { SUPPORTED_LOCALES } from '../notices/locale';
import { LOCALE_BY_WHMCS_LANGUAGE } from '../locales/whmcs-languages';
import { PANEL_TEXTS } from './src/texts';

/**
 * The WHMCS module is copied into WHMCS on its own, so it carries a copy of the client area's strings
 * (the `panel` subtree of locales/*.json) and of the language table; `npm run whmcs:strings` writes it
 * and test/panel checks that the committed copy is current.
 */
export const MODULE_STRINGS_FILE = path.join(
  __dirname,
  '..',
  'whmcs',
  'modules',
  'servers',
  'vpnflow',
  'lang',
  'client-area.json',
);

export function moduleStrings(): string {
  const copy = {
    generatedFrom:
      'locales/*.json (panel) and locales/whmcs-languages.ts by `npm run whmcs:strings`; do not edit',
    locales: SUPPORTED_LOCALES,
    languages: Object.fromEntries(LOCALE_BY_WHMCS_LANGUAGE),
    texts: PANEL_TEXTS,
  };
  return `${JSON.stringify(copy, null, 2)}\n`;
}
