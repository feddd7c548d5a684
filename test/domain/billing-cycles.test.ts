import {
  BILLING_CYCLES,
  MONTHS_PER_CYCLE,
  WHMCS_CYCLE_NAMES,
  cycleKey,
  cycleStartAt,
  isRecurring,
  nextCycleBoundary,
  parseBillingCycle,
} from '../../domain/billing-cycles';

describe('parseBillingCycle', () => {
  it.each([
    ['Monthly', 'monthly'],
    ['Quarterly', 'quarterly'],
    ['Semi-Annually', 'semiannually'],
    ['semiannually', 'semiannually'],
    ['Annually', 'annually'],
    ['Biennially', 'biennially'],
    ['Triennially', 'triennially'],
    ['One Time', 'onetime'],
    ['One-Time', 'onetime'],
    ['onetime', 'onetime'],
    ['Free Account', 'free'],
    ['free', 'free'],
    ['  MONTHLY ', 'monthly'],
  ])('reads %j as %s', (text, cycle) => {
    expect(parseBillingCycle(text)).toBe(cycle);
  });

  it('reads back every WHMCS name it writes', () => {
    for (const cycle of BILLING_CYCLES) expect(parseBillingCycle(WHMCS_CYCLE_NAMES[cycle])).toBe(cycle);
  });

  it.each(['Weekly', '', 'month', 'free trial', 'Semi'])('refuses %j naming the accepted cycles', (text) => {
    expect(() => parseBillingCycle(text)).toThrow(
      `unknown billing cycle "${text}": expected one of Monthly, Quarterly, Semi-Annually, Annually, ` +
        'Biennially, Triennially, One Time, Free Account',
    );
  });
});

describe('MONTHS_PER_CYCLE', () => {
  it('has the WHMCS lengths and no length for cycles that never renew', () => {
    expect(MONTHS_PER_CYCLE).toEqual({
      monthly: 1,
      quarterly: 3,
      semiannually: 6,
      annually: 12,
      biennially: 24,
      triennially: 36,
      onetime: null,
      free: null,
    });
    expect(BILLING_CYCLES.filter(isRecurring)).toEqual([
      'monthly',
      'quarterly',
      'semiannually',
      'annually',
      'biennially',
      'triennially',
    ]);
  });
});

/** Follows the boundaries one by one, each from the previous, the way the workflow will. */
function boundaries(cycle: Parameters<typeof nextCycleBoundary>[0], anchor: string, count: number): string[] {
  const found: string[] = [];
  let after = anchor;
  for (let i = 0; i < count; i += 1) {
    const next = nextCycleBoundary(cycle, anchor, after);
    if (next === null) throw new Error('no boundary');
    found.push(next);
    after = next;
  }
  return found;
}

describe('nextCycleBoundary', () => {
  it('keeps the 31st through shorter months without drifting', () => {
    expect(boundaries('monthly', '2024-01-31', 13).map((instant) => instant.slice(0, 10))).toEqual([
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
      '2024-05-31',
      '2024-06-30',
      '2024-07-31',
      '2024-08-31',
      '2024-09-30',
      '2024-10-31',
      '2024-11-30',
      '2024-12-31',
      '2025-01-31',
      '2025-02-28',
    ]);
  });

  it('keeps the anchor time of day and returns canonical UTC instants', () => {
    expect(nextCycleBoundary('monthly', '2024-01-30T22:45:00+02:00', '2024-02-15T00:00:00Z')).toBe(
      '2024-02-29T20:45:00.000Z',
    );
  });

  it('clamps Feb 29 anchors in non-leap years and returns to the 29th in leap years', () => {
    expect(boundaries('annually', '2024-02-29', 4).map((instant) => instant.slice(0, 10))).toEqual([
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
  });

  it.each([
    ['quarterly', ['2024-02-29', '2024-05-30', '2024-08-30', '2024-11-30', '2025-02-28']],
    ['semiannually', ['2024-05-30', '2024-11-30', '2025-05-30', '2025-11-30', '2026-05-30']],
    ['biennially', ['2025-11-30', '2027-11-30', '2029-11-30', '2031-11-30', '2033-11-30']],
    ['triennially', ['2026-11-30', '2029-11-30', '2032-11-30', '2035-11-30', '2038-11-30']],
  ] as const)('counts %s cycles in whole calendar months', (cycle, expected) => {
    expect(boundaries(cycle, '2023-11-30', 5).map((instant) => instant.slice(0, 10))).toEqual(expected);
  });

  it('is strictly after: a boundary itself yields the one that follows', () => {
    expect(nextCycleBoundary('monthly', '2024-01-15', '2024-03-15T00:00:00Z')).toBe(
      '2024-04-15T00:00:00.000Z',
    );
    expect(nextCycleBoundary('monthly', '2024-01-15', '2024-03-14T23:59:59.999Z')).toBe(
      '2024-03-15T00:00:00.000Z',
    );
    expect(nextCycleBoundary('monthly', '2024-01-15', '2024-01-15')).toBe('2024-02-15T00:00:00.000Z');
  });

  it('gives the anchor itself for a moment before it', () => {
    expect(nextCycleBoundary('monthly', '2024-01-15', '2023-12-01')).toBe('2024-01-15T00:00:00.000Z');
  });

  it('jumps straight to the right boundary far from the anchor', () => {
    expect(nextCycleBoundary('monthly', '2000-01-31', '2100-02-28T12:00:00Z')).toBe(
      '2100-03-31T00:00:00.000Z',
    );
  });

  it('lands on the anchor day, clamped, in each following month, for every anchor day of a year', () => {
    const mismatches: string[] = [];
    for (let day = 0; day < 366; day += 1) {
      const anchor = new Date(Date.UTC(2024, 0, 1 + day));
      for (const [index, boundary] of boundaries('monthly', anchor.toISOString(), 30).entries()) {
        const monthIndex = anchor.getUTCMonth() + index + 1;
        const lastDay = new Date(Date.UTC(anchor.getUTCFullYear(), monthIndex + 1, 0)).getUTCDate();
        const expected = new Date(
          Date.UTC(anchor.getUTCFullYear(), monthIndex, Math.min(anchor.getUTCDate(), lastDay)),
        );
        const dayBefore = new Date(Date.parse(boundary) - 86_400_000).toISOString();
        if (
          boundary !== expected.toISOString() ||
          nextCycleBoundary('monthly', anchor.toISOString(), dayBefore) !== boundary
        ) {
          mismatches.push(`${anchor.toISOString()} #${index + 1}: ${boundary}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('has no next boundary for One Time and Free Account', () => {
    expect(nextCycleBoundary('onetime', '2024-01-31', '2024-01-31')).toBeNull();
    expect(nextCycleBoundary('free', '2024-01-31', '2020-01-01')).toBeNull();
  });

  it('refuses malformed instants', () => {
    expect(() => nextCycleBoundary('monthly', '31/01/2024', '2024-02-01')).toThrow(
      /invalid instant "31\/01\/2024"/,
    );
  });
});

describe('cycleStartAt', () => {
  it('is the last boundary at or before the moment', () => {
    expect(cycleStartAt('monthly', '2024-01-31', '2024-03-30T23:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(cycleStartAt('monthly', '2024-01-31', '2024-03-31')).toBe('2024-03-31T00:00:00.000Z');
    expect(cycleStartAt('annually', '2024-02-29', '2026-01-01')).toBe('2025-02-28T00:00:00.000Z');
  });

  it('is the anchor for the first cycle and for a moment before the anchor', () => {
    expect(cycleStartAt('monthly', '2024-01-31', '2024-02-01')).toBe('2024-01-31T00:00:00.000Z');
    expect(cycleStartAt('monthly', '2024-01-31', '2024-01-30T20:00:00Z')).toBe('2024-01-31T00:00:00.000Z');
  });

  it('is the anchor forever for cycles that never renew', () => {
    expect(cycleStartAt('onetime', '2024-01-31', '2030-06-01')).toBe('2024-01-31T00:00:00.000Z');
    expect(cycleStartAt('free', '2024-01-31T08:00:00Z', '2030-06-01')).toBe('2024-01-31T08:00:00.000Z');
  });

  it('and nextCycleBoundary bracket every moment', () => {
    const anchor = '2023-08-31T06:30:00Z';
    const mismatches: string[] = [];
    for (let hour = 0; hour < 24 * 400; hour += 7) {
      const at = new Date(Date.parse(anchor) + hour * 3_600_000).toISOString();
      const start = cycleStartAt('monthly', anchor, at);
      const next = nextCycleBoundary('monthly', anchor, at) ?? '';
      const bracketed = Date.parse(start) <= Date.parse(at) && Date.parse(at) < Date.parse(next);
      if (!bracketed || nextCycleBoundary('monthly', anchor, start) !== next)
        mismatches.push(`${at}: ${start} ${next}`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('cycleKey', () => {
  it('names the service and the canonical cycle start', () => {
    expect(cycleKey(42, '2024-02-29')).toBe('42:2024-02-29T00:00:00.000Z');
    expect(cycleKey(42, '2024-02-29T01:00:00+01:00')).toBe(cycleKey(42, '2024-02-29T00:00:00Z'));
  });

  it('refuses ids that are not positive integers', () => {
    expect(() => cycleKey(0, '2024-02-29')).toThrow('invalid service id 0: expected a positive integer');
    expect(() => cycleKey(1.5, '2024-02-29')).toThrow(/invalid service id/);
    expect(() => cycleKey(Number.NaN, '2024-02-29')).toThrow(/invalid service id/);
  });
});
