import type { Sentence } from './wire';

/**
 * Inside the simulator every word is a "byte string": one JS char per byte (latin1), so any byte
 * sequence a client sends comes back untouched. The in-process API converts its UTF-8 strings at
 * the boundary with `fromUtf8` / `toUtf8`.
 */
export const bytesToText = (bytes: Buffer): string => bytes.toString('latin1');
export const textToBytes = (text: string): Buffer => Buffer.from(text, 'latin1');
export const fromUtf8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
export const toUtf8 = (text: string): string => Buffer.from(text, 'latin1').toString('utf8');

export interface ApiRequest {
  /** `/ppp/secret/print`, `/login`, `/cancel`, or `#` for the keepalive. */
  readonly command: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly queries: ReadonlyArray<string>;
  /** Words that are neither attribute, query nor API attribute, kept for the "unknown parameter" trap. */
  readonly strayWords: ReadonlyArray<string>;
  readonly tag: string | undefined;
}

export function parseRequest(sentence: Sentence): ApiRequest {
  const attributes = new Map<string, string>();
  const queries: string[] = [];
  const strayWords: string[] = [];
  let command: string | undefined;
  let tag: string | undefined;
  for (const bytes of sentence) {
    const word = bytesToText(bytes);
    if (word.startsWith('.tag=')) {
      tag = word.slice(5);
    } else if (command === undefined) {
      command = word;
    } else if (word.startsWith('=')) {
      const separator = word.indexOf('=', 1);
      if (separator === -1) attributes.set(word.slice(1), '');
      else attributes.set(word.slice(1, separator), word.slice(separator + 1));
    } else if (word.startsWith('?')) {
      queries.push(word.slice(1));
    } else {
      strayWords.push(word);
    }
  }
  return { command: command ?? '', attributes, queries, strayWords, tag };
}
