import type { RequestHandler } from 'express';
import { HttpError } from './errors';

export interface AuthThrottleOptions {
  /** Failed authentications from one address within `windowMs` before it is blocked. */
  maxFailures: number;
  windowMs: number;
  blockMs: number;
  /** Addresses remembered at most; the oldest are forgotten first, so a flood cannot exhaust memory. */
  maxTracked: number;
  now: () => number;
}

export const DEFAULT_AUTH_THROTTLE: AuthThrottleOptions = {
  maxFailures: 20,
  windowMs: 60_000,
  blockMs: 5 * 60_000,
  maxTracked: 50_000,
  now: Date.now,
};

interface AddressRecord {
  failures: number;
  windowStart: number;
  blockedUntil: number;
}

/**
 * Slows down guessing of tokens, secrets and signatures: an address whose requests were refused as
 * unauthenticated (401) too often is answered 429 with Retry-After for a while, before its
 * credentials are even looked at. One instance per API process guards every audience; addresses come
 * from Express (`request.ip`), so behind a reverse proxy TRUST_PROXY must name it.
 */
export class AuthThrottle {
  private readonly addresses = new Map<string, AddressRecord>();
  private readonly options: AuthThrottleOptions;

  constructor(options: Partial<AuthThrottleOptions> = {}) {
    this.options = { ...DEFAULT_AUTH_THROTTLE, ...options };
  }

  readonly guard: RequestHandler = (request, response, next) => {
    const address = request.ip ?? 'unknown';
    const now = this.options.now();
    const record = this.addresses.get(address);
    if (record && record.blockedUntil > now) {
      const seconds = Math.ceil((record.blockedUntil - now) / 1000);
      response.set('Retry-After', String(seconds));
      next(
        new HttpError(
          429,
          'too_many_failed_authentications',
          `Too many failed authentications; retry in ${seconds} s`,
        ),
      );
      return;
    }
    response.once('finish', () => {
      if (response.statusCode === 401) this.recordFailure(address);
      else if (response.statusCode < 400) this.addresses.delete(address);
    });
    next();
  };

  private recordFailure(address: string): void {
    const now = this.options.now();
    const previous = this.addresses.get(address);
    const fresh = !previous || now - previous.windowStart > this.options.windowMs;
    const record: AddressRecord = fresh
      ? { failures: 1, windowStart: now, blockedUntil: 0 }
      : { ...previous, failures: previous.failures + 1 };
    if (record.failures >= this.options.maxFailures) record.blockedUntil = now + this.options.blockMs;
    // Re-inserting keeps the map in order of last failure, so the first key is the one to forget.
    this.addresses.delete(address);
    this.addresses.set(address, record);
    if (this.addresses.size > this.options.maxTracked) {
      this.addresses.delete(this.addresses.keys().next().value!);
    }
  }
}
