import de from '../locales/de.json';
import en from '../locales/en.json';
import es from '../locales/es.json';
import pl from '../locales/pl.json';
import ru from '../locales/ru.json';
import uk from '../locales/uk.json';
import type { Locale } from './locale';

type Catalog = typeof en;

/** Dotted paths to the leaf strings of a catalog, e.g. `email.lowBalance.subject`. */
type MessagePath<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${MessagePath<T[K]>}`;
}[keyof T & string];

export type MessageKey = MessagePath<Catalog>;

/** Typing every catalog as English's shape makes a missing key a compile error, not a blank e-mail. */
export const CATALOGS: Readonly<Record<Locale, Catalog>> = { en, pl, de, ru, uk, es };

export function message(locale: Locale, key: MessageKey): string {
  let node: unknown = CATALOGS[locale];
  for (const segment of key.split('.')) {
    node = (node as Record<string, unknown>)[segment];
  }
  if (typeof node !== 'string') throw new Error(`Missing translation ${key} for locale ${locale}`);
  return node;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** Splits a translated string into literal text and placeholder names, alternating, text first. */
export function splitPlaceholders(template: string): { literals: string[]; names: string[] } {
  const parts = template.split(PLACEHOLDER);
  return {
    literals: parts.filter((_, index) => index % 2 === 0),
    names: parts.filter((_, index) => index % 2 === 1),
  };
}

export function fillPlaceholders<T>(
  template: string,
  values: Readonly<Record<string, T>>,
  literal: (text: string) => string,
  value: (inserted: T) => string,
): string {
  const { literals, names } = splitPlaceholders(template);
  return literals
    .map((text, index) => {
      const name = names[index];
      if (name === undefined) return literal(text);
      if (!Object.hasOwn(values, name))
        throw new Error(`No value for placeholder {${name}} in "${template}"`);
      return literal(text) + value(values[name] as T);
    })
    .join('');
}

export function translateText(
  locale: Locale,
  key: MessageKey,
  values: Readonly<Record<string, string>> = {},
): string {
  return fillPlaceholders(
    message(locale, key),
    values,
    (text) => text,
    (inserted) => inserted,
  );
}
