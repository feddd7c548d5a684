/**
 * Instants are ISO 8601 strings in UTC (`2024-01-31T00:00:00.000Z`): plain JSON for workflow state and
 * Temporal payloads, and one canonical spelling so that idempotency keys built from them compare equal.
 */

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * Epoch milliseconds of an ISO 8601 date or date-time. A bare date (`2024-01-31`, as WHMCS writes
 * due dates) is midnight UTC; a date-time must carry `Z` or an offset, because a local time would
 * depend on the worker's time zone. Impossible calendar dates are rejected rather than rolled over.
 */
export function parseInstant(text: string): number {
  const match = ISO_PATTERN.exec(text);
  if (!match) {
    throw new Error(`invalid instant "${text}": expected an ISO 8601 date or date-time with Z or an offset`);
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', millis = '0', zone] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  const wallClock = Date.UTC(y, mo - 1, d, h, mi, s, Number(millis.padEnd(3, '0')));
  const check = new Date(wallClock);
  const sameDate = check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d;
  if (!sameDate || h > 23 || mi > 59 || s > 59) {
    throw new Error(`invalid instant "${text}": no such date or time`);
  }
  return wallClock - offsetMillis(zone);
}

function offsetMillis(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = zone.slice(1).split(':').map(Number);
  return sign * (hours * 60 + minutes) * 60_000;
}

export function toInstant(epochMillis: number): string {
  return new Date(epochMillis).toISOString();
}

/** The canonical spelling of any accepted instant, e.g. for building keys. */
export function normalizeInstant(text: string): string {
  return toInstant(parseInstant(text));
}
