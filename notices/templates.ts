import { readFile } from 'node:fs/promises';
import path from 'node:path';
import mjml2html from 'mjml';
import { escapeHtml, SafeHtml } from './html';
import type { NoticeKind } from './notice-kinds';

/** Templates are read at run time from the repository's emails/ folder, beside this module's. */
export const EMAIL_TEMPLATES_DIR = path.resolve(__dirname, '..', 'emails');

/**
 * Values for a compiled template: `{{name}}` escapes a string (SafeHtml goes in as is), `{{{name}}}`
 * accepts only SafeHtml, and `{{#name}}...{{/name}}` keeps its content only when `name` has a value.
 * Spaces inside the braces are allowed, as Prettier writes them.
 */
export type TemplateValues = Readonly<Record<string, string | SafeHtml | undefined>>;

const SECTION = /\{\{#\s*(\w+)\s*\}\}([\s\S]*?)\{\{\/\s*\1\s*\}\}/g;
const PLACEHOLDER = /\{\{\{\s*(\w+)\s*\}\}\}|\{\{\s*(\w+)\s*\}\}/g;

const compiled = new Map<NoticeKind, Promise<string>>();

/** MJML compiles once per kind, with the placeholders left in; values go into the HTML afterwards. */
export function compiledTemplate(kind: NoticeKind): Promise<string> {
  let html = compiled.get(kind);
  if (html === undefined) {
    html = compileTemplate(path.join(EMAIL_TEMPLATES_DIR, `${kind}.mjml`));
    compiled.set(kind, html);
    html.catch(() => compiled.delete(kind));
  }
  return html;
}

async function compileTemplate(file: string): Promise<string> {
  const source = await readFile(file, 'utf8');
  const { html, errors } = await mjml2html(source, {
    filePath: file,
    ignoreIncludes: false,
    keepComments: false,
    validationLevel: 'strict',
  });
  if (errors.length > 0) {
    throw new Error(`${file}: ${errors.map((error) => error.formattedMessage).join('; ')}`);
  }
  return html;
}

/** One pass over the template, so a value that looks like a placeholder is never expanded. */
export function fillTemplate(template: string, values: TemplateValues): string {
  const withSections = template.replace(SECTION, (_section, name: string, content: string) =>
    values[name] === undefined ? '' : content,
  );
  return withSections.replace(PLACEHOLDER, (placeholder, rawName?: string, textName?: string) => {
    const value = values[rawName ?? textName ?? ''];
    if (value === undefined) throw new Error(`No value for ${placeholder} in an e-mail template`);
    if (rawName !== undefined) {
      if (!(value instanceof SafeHtml)) throw new Error(`${placeholder} needs SafeHtml, got a plain string`);
      return value.html;
    }
    return value instanceof SafeHtml ? value.html : escapeHtml(value);
  });
}
