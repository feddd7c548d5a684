import { ApiTrap, noMatchingValue, outOfRange, TrapCategory } from './trap';

export const formatId = (id: number): string => `*${id.toString(16).toUpperCase()}`;

export function parseId(text: string): number | undefined {
  if (!/^\*[0-9a-fA-F]{1,8}$/.test(text)) return undefined;
  return parseInt(text.slice(1), 16);
}

/** RouterOS accepts yes/no and true/false; it always prints true/false. */
export function parseBoolean(property: string, value: string): 'true' | 'false' {
  if (value === 'yes' || value === 'true') return 'true';
  if (value === 'no' || value === 'false') return 'false';
  throw noMatchingValue(property);
}

const UINT64_MAX = 18446744073709551615n;

export function parseUnsigned(property: string, value: string, max = UINT64_MAX): bigint {
  if (!/^\d+$/.test(value))
    throw new ApiTrap(`invalid value for argument ${property}`, TrapCategory.ArgumentValueFailure);
  const parsed = BigInt(value);
  if (parsed > max) throw outOfRange(property, `0..${max}`);
  return parsed;
}

const RATE_UNITS: Record<string, bigint> = { '': 1n, k: 1000n, K: 1000n, M: 1000000n, G: 1000000000n };

/** A bit rate like `512k`, `5M` or `10000000`, in bits per second. */
export function parseBitRate(property: string, text: string): bigint {
  const match = /^(\d+)([kKMG]?)$/.exec(text);
  if (!match) throw new ApiTrap(`invalid value for argument ${property}`, TrapCategory.ArgumentValueFailure);
  return BigInt(match[1]) * RATE_UNITS[match[2]];
}

/** `upload/download` of a queue target; a single value applies to both directions. */
export function parseRatePair(property: string, text: string): { upload: bigint; download: bigint } {
  const parts = text.split('/');
  if (parts.length > 2)
    throw new ApiTrap(`invalid value for argument ${property}`, TrapCategory.ArgumentValueFailure);
  const upload = parseBitRate(property, parts[0]);
  return { upload, download: parts.length === 2 ? parseBitRate(property, parts[1]) : upload };
}

/**
 * The first pair of a PPP profile `rate-limit` (`rx[/tx] ...`), from the router's side: rx is what
 * the client uploads, tx what it downloads.
 */
export function parseRateLimit(text: string): { upload: bigint; download: bigint } {
  const first = text.trim().split(/\s+/)[0];
  return parseRatePair('rate-limit', first);
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let address = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    address = address * 256 + octet;
  }
  return address;
}

export const formatIpv4 = (address: number): string =>
  [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff].join('.');

export interface Ipv4Prefix {
  readonly network: number;
  readonly prefixLength: number;
}

export function parseIpv4Prefix(text: string): Ipv4Prefix | undefined {
  const [addressText, lengthText, ...rest] = text.split('/');
  if (rest.length > 0) return undefined;
  const address = parseIpv4(addressText);
  const prefixLength = lengthText === undefined ? 32 : Number(lengthText);
  if (address === undefined || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    return undefined;
  }
  return { network: maskAddress(address, prefixLength), prefixLength };
}

const maskAddress = (address: number, prefixLength: number): number =>
  prefixLength === 0 ? 0 : (address & (~0 << (32 - prefixLength))) >>> 0;

export const prefixContains = (prefix: Ipv4Prefix, address: number): boolean =>
  maskAddress(address, prefix.prefixLength) === prefix.network;

export const formatPrefix = (prefix: Ipv4Prefix): string =>
  `${formatIpv4(prefix.network)}/${prefix.prefixLength}`;

/** `2d20h12m20s`, the way RouterOS 7 prints uptimes (weeks as `w`, zero parts left out). */
export function formatDuration(milliseconds: number): string {
  let seconds = Math.floor(milliseconds / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    const count = Math.floor(seconds / size);
    if (count > 0) parts.push(`${count}${unit}`);
    seconds -= count * size;
  }
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds}s`);
  return parts.join('');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RouterOS 7.10+ prints `2023-07-14 10:11:12`, older versions `jul/14/2023 10:11:12` (router time, UTC here). */
export function formatRouterDate(epochMilliseconds: number, isoDates: boolean): string {
  const date = new Date(epochMilliseconds);
  const pad = (value: number) => String(value).padStart(2, '0');
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  if (isoDates) {
    return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${time}`;
  }
  return `${MONTHS[date.getUTCMonth()]}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${time}`;
}

export function compareVersions(left: string, right: string): number {
  const a = left.split('.').map(Number);
  const b = right.split('.').map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
