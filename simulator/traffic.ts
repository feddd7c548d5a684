/** Deterministic per-account traffic rates: the same seed and account name always give the same rates. */

export interface TrafficRate {
  /** Bytes per second the client sends (the router receives). */
  readonly uploadBytesPerSecond: number;
  /** Bytes per second the client receives (the router transmits). */
  readonly downloadBytesPerSecond: number;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** mulberry32: small, fast and good enough to spread account rates. */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRate(seed: number, accountName: string): TrafficRate {
  const random = createPrng((seed ^ fnv1a(accountName)) >>> 0);
  return {
    uploadBytesPerSecond: 2_000 + Math.floor(random() * 198_000),
    downloadBytesPerSecond: 10_000 + Math.floor(random() * 1_990_000),
  };
}

/** Packets for a byte count, assuming typical packet sizes per direction. */
export const packetsFor = (bytes: bigint, averagePacketBytes: bigint): bigint =>
  (bytes + averagePacketBytes - 1n) / averagePacketBytes;
