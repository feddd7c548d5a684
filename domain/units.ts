import { toThousandths } from './decimals';

/** Bytes are bigint everywhere; GB means 10^9 bytes, as on the product page and in the panels. */
export const BYTES_PER_GB = 1_000_000_000n;
export const BYTES_PER_MB = 1_000_000n;
export const BYTES_PER_KB = 1_000n;

/** Exact for up to 3 decimals (`0.5` GB is 500000000n); rejects negative, NaN, infinite and finer values. */
export function gbToBytes(gb: number | string): bigint {
  return toThousandths(gb, 'traffic in GB') * (BYTES_PER_GB / 1000n);
}

const UNITS = [
  { name: 'GB', size: BYTES_PER_GB },
  { name: 'MB', size: BYTES_PER_MB },
  { name: 'kB', size: BYTES_PER_KB },
] as const;

/** For people: `1.50 GB`, `12.35 MB`, `999 B`, rounded half up to 2 decimals; negatives keep their sign. */
export function formatBytes(bytes: bigint): string {
  const sign = bytes < 0n ? '-' : '';
  const magnitude = bytes < 0n ? -bytes : bytes;
  for (const unit of UNITS) {
    const hundredths = (magnitude * 100n + unit.size / 2n) / unit.size;
    if (hundredths >= 100n) {
      const fraction = (hundredths % 100n).toString().padStart(2, '0');
      return `${sign}${hundredths / 100n}.${fraction} ${unit.name}`;
    }
  }
  return `${sign}${magnitude} B`;
}

/**
 * bigint cannot go into JSON or Temporal payloads: at every such boundary a byte count travels as its
 * decimal string.
 */
export function bigintToJson(value: bigint): string {
  return value.toString();
}

export function bigintFromJson(text: string): bigint {
  if (!/^-?\d+$/.test(text)) {
    throw new Error(`invalid integer "${text}": expected decimal digits`);
  }
  return BigInt(text);
}
