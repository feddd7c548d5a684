import type { ApiRequest } from './request';
import { ApiTrap, unknownParameter } from './trap';

/** How one writable property is checked and turned into its printed form. */
export type PropertyNormalizer = (value: string) => string;

export type PropertySpecs = ReadonlyMap<string, PropertyNormalizer>;

/** Item selectors are the caller's; `.proplist` only matters to print and is ignored elsewhere, as RouterOS does. */
const NOT_PROPERTIES = new Set(['.id', 'numbers', '.proplist']);

/**
 * Checks every attribute of a write command against the menu's writable properties and returns them
 * normalized, in request order.
 */
export function readProperties(request: ApiRequest, specs: PropertySpecs): Map<string, string> {
  if (request.strayWords.length > 0) throw unknownParameter(request.strayWords[0]);
  const attributes = [...request.attributes].filter(([name]) => !NOT_PROPERTIES.has(name));
  return normalizeProperties(attributes, specs);
}

export function normalizeProperties(
  properties: Iterable<[string, string]>,
  specs: PropertySpecs,
): Map<string, string> {
  const normalized = new Map<string, string>();
  for (const [name, value] of properties) {
    const normalize = specs.get(name);
    if (!normalize) throw unknownParameter(name);
    normalized.set(name, normalize(value));
  }
  return normalized;
}

/** The items a set/remove/enable/disable addresses: `=.id=` or `=numbers=`. */
export function selectorOf(request: ApiRequest): string {
  const selector = request.attributes.get('.id') ?? request.attributes.get('numbers');
  if (selector === undefined) throw new ApiTrap('no such item');
  return selector;
}

export const anyText: PropertyNormalizer = (value) => value;

/** Writes normalized properties into an item; an empty comment removes the comment, as RouterOS does. */
export function assignProperties(values: Map<string, string>, properties: ReadonlyMap<string, string>): void {
  for (const [key, value] of properties) {
    if (key === 'comment' && value === '') values.delete(key);
    else values.set(key, value);
  }
}
