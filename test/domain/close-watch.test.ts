import {
  CLOSE_WATCH,
  maxBytesPerSecond,
  needsCloseWatch,
  nextReadInMs,
  remainingBytes,
} from '../../domain/close-watch';

const T = Date.UTC(2026, 10, 25, 10, 0, 0);
const speed = (downloadMbps: number, uploadMbps: number) => ({ downloadMbps, uploadMbps });

describe('close watching', () => {
  it('counts both directions of the sold speed, and no limit as no limit', () => {
    expect(maxBytesPerSecond(speed(100, 20))).toBe(15_000_000);
    expect(maxBytesPerSecond(speed(1, 0.5))).toBe(187_500);
    expect(maxBytesPerSecond(speed(0, 20))).toBeUndefined();
    expect(maxBytesPerSecond(speed(100, 0))).toBeUndefined();
  });

  it('watches an account that its speed could empty before what to watch is decided again', () => {
    // 80 Mbit/s both ways together is 10 MB/s; a minute from now is two refreshes.
    const account = { lastReadAtMs: T, speed: speed(64, 16) };
    const horizonSeconds = (2 * CLOSE_WATCH.refreshMs) / 1000;
    expect(horizonSeconds).toBe(60);
    expect(needsCloseWatch({ ...account, balanceBytes: 599_999_999n }, T)).toBe(true);
    expect(needsCloseWatch({ ...account, balanceBytes: 600_000_000n }, T)).toBe(false);
    // Five minutes after the last reading, five more minutes of traffic may already be spent.
    expect(needsCloseWatch({ ...account, balanceBytes: 3_599_999_999n }, T + 300_000)).toBe(true);
    expect(needsCloseWatch({ ...account, balanceBytes: 3_600_000_000n }, T + 300_000)).toBe(false);
  });

  it('watches an account never read, or without a speed limit, whatever its balance', () => {
    expect(needsCloseWatch({ balanceBytes: 10n ** 15n, lastReadAtMs: null, speed: speed(1, 1) }, T)).toBe(
      true,
    );
    expect(needsCloseWatch({ balanceBytes: 10n ** 15n, lastReadAtMs: T, speed: speed(0, 0) }, T)).toBe(true);
  });

  it('takes what was used since the recorded reading off the recorded balance', () => {
    const last = { uploadBytes: 1_000n, downloadBytes: 50_000n };
    expect(remainingBytes(last, 100_000n, { uploadBytes: 1_500n, downloadBytes: 80_000n })).toBe(69_500n);
    expect(remainingBytes(last, 100_000n, { uploadBytes: 11_000n, downloadBytes: 140_000n })).toBe(0n);
    expect(remainingBytes(last, 100_000n, { uploadBytes: 11_000n, downloadBytes: 140_001n })).toBe(-1n);
    expect(remainingBytes(null, 100_000n, { uploadBytes: 10n, downloadBytes: 90n })).toBe(99_900n);
  });

  it('says when a counter went back, so the read is recorded before anything is decided', () => {
    const last = { uploadBytes: 1_000n, downloadBytes: 50_000n };
    expect(remainingBytes(last, 100_000n, { uploadBytes: 999n, downloadBytes: 90_000n })).toBe('restarted');
    expect(remainingBytes(last, 100_000n, { uploadBytes: 2_000n, downloadBytes: 10n })).toBe('restarted');
  });

  it('reads again just after the account would be out at its pace, within a second, not too soon', () => {
    // 1 MB left at 10 kB/ms: out in 100 ms, read 20 ms later.
    expect(nextReadInMs(1_000_000n, 10_000)).toBe(100 + CLOSE_WATCH.settleMs);
    expect(nextReadInMs(1_000_000n, 1)).toBe(CLOSE_WATCH.pollMs);
    expect(nextReadInMs(1_000n, 10_000)).toBe(CLOSE_WATCH.minGapMs);
    expect(nextReadInMs(1_000_000n, 0)).toBe(CLOSE_WATCH.pollMs);
  });
});
