import { toThousandths } from './decimals';

/** A product's speed as sold: Mbit/s seen by the client, 0 = unlimited, up to 3 decimals (kbit/s). */
export interface ClientSpeed {
  downloadMbps: number;
  uploadMbps: number;
}

export interface RouterSpeedLimits {
  /** `/queue/simple` `max-limit` of the account's static queue. */
  queueMaxLimit: string;
  /** `/ppp/profile` `rate-limit` (first pair only: no bursts). */
  pppRateLimit: string;
}

/** Bits per second in each direction as seen by the client; 0 = unlimited. */
export interface ClientBitRates {
  uploadBps: number;
  downloadBps: number;
}

export function mbpsToBps(mbps: number): number {
  return Number(toThousandths(mbps, 'speed in Mbit/s') * 1000n);
}

/** RouterOS rate spelling: `10M`, `1500k`, `512k`; `0` means unlimited. */
export function formatRate(bitsPerSecond: number): string {
  if (!Number.isSafeInteger(bitsPerSecond) || bitsPerSecond < 0) {
    throw new Error(`invalid rate ${bitsPerSecond}: expected a non-negative whole number of bits/s`);
  }
  if (bitsPerSecond === 0) return '0';
  if (bitsPerSecond % 1_000_000 === 0) return `${bitsPerSecond / 1_000_000}M`;
  if (bitsPerSecond % 1000 === 0) return `${bitsPerSecond / 1000}k`;
  return String(bitsPerSecond);
}

/**
 * The one place where the client's view and the router's view of direction meet.
 *
 * The client's download is what the router transmits towards the client; the client's upload is what
 * the router receives from it. RouterOS spells the two limits from different sides:
 * - a simple queue's `max-limit` is `upload/download` *of the target*, and the target is the client's
 *   address, so it reads client-upload/client-download;
 * - a PPP profile's `rate-limit` is `rx/tx` *from the router's side*: rx (router receives) is the
 *   client's upload and tx (router transmits) is the client's download.
 * Both therefore come out as `<client upload>/<client download>`, even though one is written from the
 * client's side and the other from the router's. Swapping them would sell every customer the wrong way
 * round, which the tests pin down.
 */
export function routerSpeedLimits(speed: ClientSpeed): RouterSpeedLimits {
  const upload = formatRate(mbpsToBps(speed.uploadMbps));
  const download = formatRate(mbpsToBps(speed.downloadMbps));
  const routerRx = upload;
  const routerTx = download;
  return { queueMaxLimit: `${upload}/${download}`, pppRateLimit: `${routerRx}/${routerTx}` };
}

const MULTIPLIERS: Readonly<Record<string, number>> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 };

/** One RouterOS rate (`10M`, `1500k`, `1.5M`, `0`, `64000`) in bits/s. */
export function parseRate(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKMG]?)$/.exec(text.trim());
  if (!match) {
    throw new Error(`invalid rate "${text}": expected a number with an optional k, M or G suffix`);
  }
  const [, amount, suffix] = match;
  return Math.round(Number(amount) * (MULTIPLIERS[suffix] ?? 1));
}

function parsePair(text: string, what: string): [number, number] {
  const parts = text.trim().split('/');
  if (parts.length !== 2) {
    throw new Error(`invalid ${what} "${text}": expected two rates separated by "/"`);
  }
  return [parseRate(parts[0]), parseRate(parts[1])];
}

/** A queue's `max-limit` (`upload/download` of the target, the client) back to bits/s. */
export function parseQueueMaxLimit(text: string): ClientBitRates {
  const [uploadBps, downloadBps] = parsePair(text, 'max-limit');
  return { uploadBps, downloadBps };
}

/** The first pair of a PPP profile's `rate-limit` (`rx/tx` from the router's side) back to bits/s. */
export function parsePppRateLimit(text: string): ClientBitRates {
  const [firstPair = ''] = text.trim().split(/\s+/);
  const [routerRx, routerTx] = parsePair(firstPair, 'rate-limit');
  return { uploadBps: routerRx, downloadBps: routerTx };
}
