import {
  formatRate,
  mbpsToBps,
  parsePppRateLimit,
  parseQueueMaxLimit,
  parseRate,
  routerSpeedLimits,
} from '../../domain/rate-limit';

describe('routerSpeedLimits', () => {
  it('puts the client upload first and the client download second on both the queue and the profile', () => {
    expect(routerSpeedLimits({ downloadMbps: 10, uploadMbps: 2 })).toEqual({
      queueMaxLimit: '2M/10M',
      pppRateLimit: '2M/10M',
    });
  });

  it('reads back as the speeds it was given, from each side', () => {
    const limits = routerSpeedLimits({ downloadMbps: 50, uploadMbps: 1.5 });
    expect(parseQueueMaxLimit(limits.queueMaxLimit)).toEqual({
      uploadBps: 1_500_000,
      downloadBps: 50_000_000,
    });
    expect(parsePppRateLimit(limits.pppRateLimit)).toEqual({ uploadBps: 1_500_000, downloadBps: 50_000_000 });
  });

  it('writes RouterOS units and 0 for unlimited', () => {
    expect(routerSpeedLimits({ downloadMbps: 0.512, uploadMbps: 0 }).queueMaxLimit).toBe('0/512k');
    expect(routerSpeedLimits({ downloadMbps: 1000, uploadMbps: 0.1 }).queueMaxLimit).toBe('100k/1000M');
    expect(routerSpeedLimits({ downloadMbps: 0, uploadMbps: 0 })).toEqual({
      queueMaxLimit: '0/0',
      pppRateLimit: '0/0',
    });
  });

  it('refuses speeds finer than 1 kbit/s or negative', () => {
    expect(() => routerSpeedLimits({ downloadMbps: 1.0005, uploadMbps: 1 })).toThrow(
      'speed in Mbit/s allows at most 3 decimals, got 1.0005',
    );
    expect(() => routerSpeedLimits({ downloadMbps: 1, uploadMbps: -2 })).toThrow(
      'speed in Mbit/s must not be negative, got -2',
    );
  });
});

describe('formatRate', () => {
  it.each([
    [0, '0'],
    [10_000_000, '10M'],
    [1_500_000, '1500k'],
    [512_000, '512k'],
    [1_000_000_000, '1000M'],
    [1_234, '1234'],
  ])('writes %p bits/s as %s', (bps, text) => {
    expect(formatRate(bps)).toBe(text);
  });

  it('refuses fractions and negatives', () => {
    expect(() => formatRate(1.5)).toThrow('invalid rate 1.5: expected a non-negative whole number of bits/s');
    expect(() => formatRate(-1)).toThrow(/invalid rate -1/);
  });
});

describe('mbpsToBps', () => {
  it('is exact for up to 3 decimals', () => {
    expect(mbpsToBps(0.3)).toBe(300_000);
    expect(mbpsToBps(2.675)).toBe(2_675_000);
  });
});

describe('parseRate', () => {
  it.each([
    ['0', 0],
    ['64000', 64_000],
    ['512k', 512_000],
    ['512K', 512_000],
    ['10M', 10_000_000],
    ['1.5M', 1_500_000],
    ['0.1M', 100_000],
    ['1G', 1_000_000_000],
  ])('reads %s as %p bits/s', (text, bps) => {
    expect(parseRate(text)).toBe(bps);
  });

  it.each(['', '10 M', '10Mb', '-1M', 'M'])('refuses %j', (text) => {
    expect(() => parseRate(text)).toThrow(
      `invalid rate "${text}": expected a number with an optional k, M or G suffix`,
    );
  });
});

describe('parseQueueMaxLimit', () => {
  it('reads upload/download of the target', () => {
    expect(parseQueueMaxLimit('5M/10M')).toEqual({ uploadBps: 5_000_000, downloadBps: 10_000_000 });
    expect(parseQueueMaxLimit('0/0')).toEqual({ uploadBps: 0, downloadBps: 0 });
  });

  it('refuses anything but one pair', () => {
    expect(() => parseQueueMaxLimit('10M')).toThrow(
      'invalid max-limit "10M": expected two rates separated by "/"',
    );
    expect(() => parseQueueMaxLimit('1M/2M/3M')).toThrow(/invalid max-limit/);
  });
});

describe('parsePppRateLimit', () => {
  it('reads rx/tx from the router side as client upload/download and ignores bursts', () => {
    expect(parsePppRateLimit('2M/10M 4M/20M 1M/5M 8/8')).toEqual({
      uploadBps: 2_000_000,
      downloadBps: 10_000_000,
    });
  });

  it('refuses an empty value', () => {
    expect(() => parsePppRateLimit('')).toThrow('invalid rate-limit "": expected two rates separated by "/"');
  });
});
