import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveLocale, SUPPORTED_LOCALES } from '../../notices/locale';
import { splitPlaceholders } from '../../notices/messages';

const LOCALES_DIR = path.resolve(__dirname, '..', '..', 'locales');

function flatten(node: unknown, prefix = ''): Map<string, unknown> {
  if (typeof node !== 'object' || node === null) return new Map([[prefix, node]]);
  return new Map(
    Object.entries(node).flatMap(([key, child]) => [...flatten(child, prefix ? `${prefix}.${key}` : key)]),
  );
}

function readCatalog(locale: string): Map<string, unknown> {
  return flatten(JSON.parse(readFileSync(path.join(LOCALES_DIR, `${locale}.json`), 'utf8')));
}

const english = readCatalog('en');

describe('locale files', () => {
  it('exist for exactly the supported locales', () => {
    const files = readdirSync(LOCALES_DIR).filter((file) => file.endsWith('.json'));
    expect(files.map((file) => file.replace(/\.json$/, '')).sort()).toEqual([...SUPPORTED_LOCALES].sort());
  });

  it('keep every string under the namespace of its reader: the e-mails or the client panel', () => {
    const keys = [...english.keys()];
    expect(keys.filter((key) => key.startsWith('email.')).length).toBeGreaterThan(20);
    expect(keys.filter((key) => key.startsWith('panel.')).length).toBeGreaterThan(20);
    expect(keys.filter((key) => !/^(email|panel)\./.test(key))).toEqual([]);
  });

  it.each(SUPPORTED_LOCALES)('%s has every key of English, no other, each a non-empty string', (locale) => {
    const catalog = readCatalog(locale);
    expect([...catalog.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, value] of catalog) {
      expect({ key, type: typeof value }).toEqual({ key, type: 'string' });
      expect((value as string).trim()).not.toBe('');
    }
  });

  it.each(SUPPORTED_LOCALES)('%s uses the same placeholders as English in every string', (locale) => {
    const catalog = readCatalog(locale);
    for (const [key, englishValue] of english) {
      const expected = splitPlaceholders(englishValue as string).names.sort();
      const actual = splitPlaceholders(catalog.get(key) as string).names.sort();
      expect({ key, placeholders: actual }).toEqual({ key, placeholders: expected });
    }
  });

  it.each(SUPPORTED_LOCALES)('%s has no stray braces outside {placeholder} form', (locale) => {
    for (const [key, value] of readCatalog(locale)) {
      const { literals } = splitPlaceholders(value as string);
      expect({ key, stray: literals.filter((text) => /[{}]/.test(text)) }).toEqual({ key, stray: [] });
    }
  });
});

describe('resolveLocale', () => {
  it.each([
    ['english', 'en'],
    ['English', 'en'],
    ['polish', 'pl'],
    ['POLISH', 'pl'],
    ['german', 'de'],
    ['russian', 'ru'],
    ['ukrainian', 'uk'],
    ['ukranian', 'uk'],
    ['spanish', 'es'],
    [' Spanish ', 'es'],
    ['en', 'en'],
    ['pl', 'pl'],
    ['DE', 'de'],
    ['ru', 'ru'],
    ['uk', 'uk'],
    ['es', 'es'],
    ['de-AT', 'de'],
    ['es_ES', 'es'],
    ['pl-PL', 'pl'],
    ['ukr', 'uk'],
    ['deu', 'de'],
  ])('maps %j to %s', (language, locale) => {
    expect(resolveLocale(language)).toBe(locale);
  });

  it.each([['french'], ['portuguese-br'], [''], ['xx'], ['constructor'], ['__proto__'], [null], [undefined]])(
    'falls back to English for %j',
    (language) => {
      expect(resolveLocale(language)).toBe('en');
    },
  );
});
