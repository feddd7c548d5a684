import fc from 'fast-check';
import { usageSinceStored, type NewReading, type StoredReading } from '../../domain/reading-order';

const T = Date.UTC(2026, 10, 25, 10, 0, 0);

const stored = (upload: bigint, download: bigint, uptime: number, readAtMs = T): StoredReading => ({
  uploadBytes: upload,
  downloadBytes: download,
  routerUptimeSeconds: uptime,
  readAtMs,
});

const taken = (
  upload: bigint,
  download: bigint,
  uptime: number,
  requestedAtMs: number | undefined,
  readAtMs = (requestedAtMs ?? T) + 5,
): NewReading => ({
  uploadBytes: upload,
  downloadBytes: download,
  routerUptimeSeconds: uptime,
  requestedAtMs,
  readAtMs,
});

describe('usageSinceStored', () => {
  it('counts a reading asked for after the stored one arrived by the usual rules', () => {
    const last = stored(1_000n, 5_000n, 600);
    expect(usageSinceStored(last, taken(1_500n, 9_000n, 630, T + 30_000))).toEqual({
      uploadBytes: 500n,
      downloadBytes: 4_000n,
      newBaseline: null,
    });
    // Lower counters later on: a reset or a reboot, counted from zero.
    expect(usageSinceStored(last, taken(10n, 20n, 700, T + 100_000))).toEqual({
      uploadBytes: 10n,
      downloadBytes: 20n,
      newBaseline: 'counter-reset',
    });
    expect(usageSinceStored(last, taken(10n, 20n, 5, T + 100_000))).toEqual({
      uploadBytes: 10n,
      downloadBytes: 20n,
      newBaseline: 'router-rebooted',
    });
    expect(usageSinceStored(null, taken(10n, 20n, 5, T))).toMatchObject({ newBaseline: 'first-reading' });
  });

  it('takes a reading without its request time as the newest, as a router’s only reader does', () => {
    expect(usageSinceStored(stored(100n, 100n, 600), taken(1n, 2n, 600, undefined))).toEqual({
      uploadBytes: 1n,
      downloadBytes: 2n,
      newBaseline: 'counter-reset',
    });
  });

  it('skips an older reading that crossed a newer one, instead of counting it in full again', () => {
    const newer = stored(2_000n, 9_000n, 600, T);
    // Asked for before the stored one arrived, with lower counters: it is the older of the two.
    expect(usageSinceStored(newer, taken(1_900n, 8_500n, 600, T - 40, T + 15))).toBe('stale');
    expect(usageSinceStored(newer, taken(2_000n, 8_999n, 599, T - 900, T - 850))).toBe('stale');
  });

  it('skips a reading from before a reboot that arrives after one from after it', () => {
    const afterReboot = stored(10n, 20n, 12, T);
    expect(usageSinceStored(afterReboot, taken(5_000_000n, 9_000_000n, 86_400, T - 200, T - 150))).toBe(
      'stale',
    );
  });

  it('counts a crossing reading that plainly continues the stored one', () => {
    const last = stored(2_000n, 9_000n, 600, T);
    expect(usageSinceStored(last, taken(2_100n, 9_500n, 600, T - 30, T + 10))).toEqual({
      uploadBytes: 100n,
      downloadBytes: 500n,
      newBaseline: null,
    });
    // A second earlier by its uptime, yet no counter lower: still the same boot, nothing restarted.
    expect(usageSinceStored(last, taken(2_000n, 9_000n, 599, T - 1_000, T - 990))).toEqual({
      uploadBytes: 0n,
      downloadBytes: 0n,
      newBaseline: null,
    });
  });

  it('records every byte exactly once, whichever of two crossing readings is recorded first', () => {
    // Two readers ask for one counter that only grows; each reply is a snapshot taken somewhere between
    // the request and the reply's arrival, and the router's uptime is that of the snapshot.
    const bootMs = T - 600_000;
    const reading = (counter: bigint, snapshotMs: number, latencyBefore: number, latencyAfter: number) => ({
      uploadBytes: counter,
      downloadBytes: counter * 3n,
      routerUptimeSeconds: Math.floor((snapshotMs - bootMs) / 1000),
      requestedAtMs: snapshotMs - latencyBefore,
      readAtMs: snapshotMs + latencyAfter,
    });
    const recorded = (first: NewReading, second: NewReading) => {
      const delta = usageSinceStored(first, second);
      const added = delta === 'stale' ? 0n : delta.uploadBytes + delta.downloadBytes;
      return first.uploadBytes + first.downloadBytes + added;
    };
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 4, maxLength: 4 }),
        (counter, growth, offsetMs, apartMs, [a1, a2, b1, b2]) => {
          const older = reading(counter, T + offsetMs, a1, a2);
          const newer = reading(counter + growth, T + offsetMs + apartMs, b1, b2);
          const highest = newer.uploadBytes + newer.downloadBytes;
          return recorded(older, newer) === highest && recorded(newer, older) === highest;
        },
      ),
    );
  });
});
