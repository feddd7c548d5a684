import type { Locale } from './locale';
import { fillPlaceholders, message, type MessageKey } from './messages';

/** HTML that may be inserted as is: only the functions here build it, from escaped parts. */
export class SafeHtml {
  private constructor(readonly html: string) {}

  static escape(text: string): SafeHtml {
    return new SafeHtml(escapeHtml(text));
  }

  static strong(text: string): SafeHtml {
    return new SafeHtml(`<strong>${escapeHtml(text)}</strong>`);
  }

  /** A translated sentence: its own text is escaped, and so is every value that is not already SafeHtml. */
  static translate(
    locale: Locale,
    key: MessageKey,
    values: Readonly<Record<string, string | SafeHtml>> = {},
  ): SafeHtml {
    return new SafeHtml(
      fillPlaceholders(message(locale, key), values, escapeHtml, (inserted) =>
        inserted instanceof SafeHtml ? inserted.html : escapeHtml(inserted),
      ),
    );
  }
}

const HTML_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['&', '&amp;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
  ['"', '&quot;'],
  ["'", '&#39;'],
]);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES.get(character) ?? character);
}
