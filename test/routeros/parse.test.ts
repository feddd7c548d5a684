import {
  compareRouterOsVersions,
  parseCounterPair,
  parseRate,
  parseRatePair,
  parseRouterOsVersion,
  parseUptimeSeconds,
} from '../../routeros';
import { normalizeQueueTarget } from '../../routeros/parse';
import { normalizeFingerprint } from '../../routeros/tls';

describe('parseUptimeSeconds', () => {
  it.each([
    ['1w2d3h4m5s', 604_800 + 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5],
    ['2d20h12m20s', 2 * 86_400 + 20 * 3_600 + 12 * 60 + 20],
    ['45s', 45],
    ['0s', 0],
    ['3m', 180],
    ['1h0m7s120ms', 3_607],
    ['1d02:03:04', 86_400 + 2 * 3_600 + 3 * 60 + 4],
    ['2w00:00:09', 2 * 604_800 + 9],
    ['00:01:02', 62],
  ])('%s is %d seconds', (text, seconds) => {
    expect(parseUptimeSeconds(text)).toBe(seconds);
  });

  it.each(['', 'soon', '5x', '1d2', '1:2'])('refuses %j', (text) => {
    expect(parseUptimeSeconds(text)).toBeUndefined();
  });
});

describe('RouterOS versions', () => {
  it('parses the version with its channel', () => {
    expect(parseRouterOsVersion('7.18.2 (stable)')).toEqual({
      major: 7,
      minor: 18,
      patch: 2,
      number: '7.18.2',
      channel: 'stable',
    });
    expect(parseRouterOsVersion('7.19rc1 (testing)')).toMatchObject({
      major: 7,
      minor: 19,
      number: '7.19rc1',
    });
    expect(parseRouterOsVersion('6.49.10 (long-term)')).toMatchObject({ major: 6, channel: 'long-term' });
    expect(parseRouterOsVersion('7.1')).toMatchObject({ major: 7, minor: 1, patch: 0, channel: undefined });
    expect(parseRouterOsVersion('stable')).toBeUndefined();
  });

  it('orders versions numerically, not as text', () => {
    const version = (text: string) => parseRouterOsVersion(text)!;
    expect(compareRouterOsVersions(version('7.18.2'), version('7.9'))).toBeGreaterThan(0);
    expect(compareRouterOsVersions(version('7.18'), version('7.18.0 (stable)'))).toBe(0);
    expect(compareRouterOsVersions(version('6.49.10'), version('7.1'))).toBeLessThan(0);
    expect(compareRouterOsVersions(version('7.17.2'), version('7.18'))).toBeLessThan(0);
  });
});

describe('counters and rates', () => {
  it('splits a bytes pair into upload/download bigints beyond 2^53', () => {
    expect(parseCounterPair('18446744073709551615/9007199254740993')).toEqual({
      upload: 18446744073709551615n,
      download: 9007199254740993n,
    });
    expect(parseCounterPair('0/0')).toEqual({ upload: 0n, download: 0n });
  });

  it.each(['', '12', '1/2/3', '-1/2', '1.5/2', 'a/b'])('refuses the counter pair %j', (text) => {
    expect(parseCounterPair(text)).toBeUndefined();
  });

  it('reads rates with and without unit suffixes', () => {
    expect(parseRate('10000000')).toBe(10_000_000n);
    expect(parseRate('512k')).toBe(512_000n);
    expect(parseRate('10M')).toBe(10_000_000n);
    expect(parseRate('1G')).toBe(1_000_000_000n);
    expect(parseRate('10m')).toBeUndefined();
    expect(parseRatePair('5M/10M')).toEqual({ upload: 5_000_000n, download: 10_000_000n });
    expect(parseRatePair('5M')).toBeUndefined();
  });
});

describe('small normalizations', () => {
  it('gives a bare IPv4 queue target its /32 and leaves the rest alone', () => {
    expect(normalizeQueueTarget('10.0.0.5')).toBe('10.0.0.5/32');
    expect(normalizeQueueTarget('10.0.0.0/24')).toBe('10.0.0.0/24');
    expect(normalizeQueueTarget('10.0.0.5, 10.0.0.6/32')).toBe('10.0.0.5/32,10.0.0.6/32');
    expect(normalizeQueueTarget('ether1')).toBe('ether1');
  });

  it('accepts fingerprints with colons and upper case, refuses other digests', () => {
    const hex = 'ab'.repeat(32);
    expect(normalizeFingerprint('AB:'.repeat(31) + 'AB')).toBe(hex);
    expect(normalizeFingerprint(hex)).toBe(hex);
    expect(normalizeFingerprint('ab'.repeat(20))).toBeUndefined();
  });
});
