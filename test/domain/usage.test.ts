import {
  parseQueueBytes,
  parseRouterUptime,
  totalBytes,
  usageDelta,
  type CounterReading,
} from '../../domain/usage';

const reading = (
  uploadBytes: bigint,
  downloadBytes: bigint,
  routerUptimeSeconds: number,
): CounterReading => ({
  uploadBytes,
  downloadBytes,
  routerUptimeSeconds,
});

describe('usageDelta', () => {
  it('is the increase since the last reading', () => {
    expect(usageDelta(reading(1_000n, 50_000n, 3_600), reading(1_500n, 80_000n, 3_900))).toEqual({
      uploadBytes: 500n,
      downloadBytes: 30_000n,
      newBaseline: null,
    });
  });

  it('is zero for an unchanged reading, so a retried poll adds nothing', () => {
    const same = reading(7n, 9n, 100);
    expect(usageDelta(same, same)).toEqual({ uploadBytes: 0n, downloadBytes: 0n, newBaseline: null });
  });

  it('counts a first reading in full: the queue started at zero for this service', () => {
    expect(usageDelta(null, reading(10n, 20n, 5))).toEqual({
      uploadBytes: 10n,
      downloadBytes: 20n,
      newBaseline: 'first-reading',
    });
  });

  it('counts everything since a reboot, even when the counters already passed the old values', () => {
    expect(usageDelta(reading(100n, 200n, 86_400), reading(500n, 900n, 60))).toEqual({
      uploadBytes: 500n,
      downloadBytes: 900n,
      newBaseline: 'router-rebooted',
    });
  });

  it('restarts both directions when either counter went down', () => {
    expect(usageDelta(reading(100n, 200n, 1_000), reading(300n, 50n, 1_100))).toEqual({
      uploadBytes: 300n,
      downloadBytes: 50n,
      newBaseline: 'counter-reset',
    });
    expect(usageDelta(reading(100n, 200n, 1_000), reading(0n, 900n, 1_100)).newBaseline).toBe(
      'counter-reset',
    );
  });

  it('stays exact beyond 2^53 bytes', () => {
    const big = 2n ** 60n;
    expect(usageDelta(reading(big, big, 1), reading(big + 1n, big + 3n, 2))).toMatchObject({
      uploadBytes: 1n,
      downloadBytes: 3n,
    });
  });

  it('refuses negative counters', () => {
    expect(() => usageDelta(null, reading(-1n, 0n, 1))).toThrow(
      'invalid reading: counters cannot be negative (-1/0)',
    );
  });
});

describe('totalBytes', () => {
  it('adds both directions', () => {
    expect(totalBytes({ uploadBytes: 2n, downloadBytes: 40n })).toBe(42n);
  });
});

describe('parseQueueBytes', () => {
  it('reads bytes=U/D as the client upload and download', () => {
    expect(parseQueueBytes('1234/987654321987')).toEqual({
      uploadBytes: 1234n,
      downloadBytes: 987_654_321_987n,
    });
  });

  it.each(['', '12', '1/2/3', '-1/2', 'a/b'])('refuses %j', (text) => {
    expect(() => parseQueueBytes(text)).toThrow(
      `invalid queue bytes "${text}": expected <upload>/<download>`,
    );
  });
});

describe('parseRouterUptime', () => {
  it.each([
    ['45s', 45],
    ['12m20s', 740],
    ['2d20h12m20s', 245_540],
    ['1w3d', 864_000],
    ['3h', 10_800],
    ['1m2s500ms', 62],
    ['0s', 0],
    ['1w2d03:04:05', 788_645],
    ['00:00:07', 7],
  ])('reads %s as %p seconds', (text, seconds) => {
    expect(parseRouterUptime(text)).toBe(seconds);
  });

  it.each(['', 'abc', '5x', '1d 2h', '-5s'])('refuses %j', (text) => {
    expect(() => parseRouterUptime(text)).toThrow(`invalid router uptime "${text}"`);
  });
});
