import {
  LEDGER_ENTRY_KINDS,
  applyEntry,
  clearNegativeBalanceDelta,
  entryDeltaProblem,
  isBalanceLow,
  isTrafficEnforced,
  isTrafficExhausted,
  ledgerKeys,
  usageEntryDelta,
} from '../../domain/ledger';

describe('applyEntry', () => {
  it('returns the balance before and after', () => {
    expect(applyEntry(1_000n, 500n)).toEqual({ before: 1_000n, after: 1_500n });
    expect(applyEntry(100n, -300n)).toEqual({ before: 100n, after: -200n });
  });

  it('carries a running balance through a sequence of entries exactly', () => {
    const deltas = [
      100_000_000_000n,
      usageEntryDelta(30_000_000_001n),
      5_000_000_000n,
      usageEntryDelta(80_000_000_000n),
    ];
    let balance = 0n;
    for (const delta of deltas) {
      const change = applyEntry(balance, delta);
      expect(change.before).toBe(balance);
      balance = change.after;
    }
    expect(balance).toBe(-5_000_000_001n);
  });
});

describe('entryDeltaProblem', () => {
  it('knows the four kinds', () => {
    expect(LEDGER_ENTRY_KINDS).toEqual(['cycle_grant', 'addon', 'usage', 'adjustment']);
  });

  it('accepts the sign each kind must have', () => {
    expect(entryDeltaProblem('cycle_grant', 1n)).toBeNull();
    expect(entryDeltaProblem('addon', 1n)).toBeNull();
    expect(entryDeltaProblem('usage', -1n)).toBeNull();
    expect(entryDeltaProblem('adjustment', -1n)).toBeNull();
    expect(entryDeltaProblem('adjustment', 1n)).toBeNull();
  });

  it('refuses the wrong sign and zero', () => {
    expect(entryDeltaProblem('cycle_grant', -1n)).toBe('cycle_grant entries must add bytes');
    expect(entryDeltaProblem('addon', -1n)).toBe('addon entries must add bytes');
    expect(entryDeltaProblem('usage', 1n)).toBe('usage entries must subtract bytes');
    expect(entryDeltaProblem('adjustment', 0n)).toBe('adjustment entries must change the balance');
  });
});

describe('usageEntryDelta', () => {
  it('subtracts what was used and refuses negative usage', () => {
    expect(usageEntryDelta(42n)).toBe(-42n);
    expect(() => usageEntryDelta(-1n)).toThrow('invalid usage -1: bytes used cannot be negative');
  });
});

describe('ledgerKeys', () => {
  it('builds one key per grant, addon, reading and adjustment', () => {
    expect(ledgerKeys.cycleGrant(42, '2024-02-29')).toBe('grant:42:2024-02-29T00:00:00.000Z');
    expect(ledgerKeys.addon(42, 1001)).toBe('addon:42:1001');
    expect(ledgerKeys.addon(42, 1001, 3)).toBe('addon:42:1001:3');
    expect(ledgerKeys.usage(5, 42, 'r-778')).toBe('usage:5:42:r-778');
    expect(ledgerKeys.adjustment(42, 'req_9')).toBe('adjustment:42:req_9');
  });

  it('gives the same grant key for any spelling of the cycle start', () => {
    expect(ledgerKeys.cycleGrant(42, '2024-02-29T01:00:00+01:00')).toBe(
      ledgerKeys.cycleGrant(42, '2024-02-29'),
    );
  });

  it('refuses parts that could collide with the separator or are empty', () => {
    expect(() => ledgerKeys.addon(42, 'INV:1')).toThrow(
      'invalid invoice id "INV:1" for a ledger key: expected 1-100 of [A-Za-z0-9._-]',
    );
    expect(() => ledgerKeys.usage('', 42, 1)).toThrow(/invalid router id ""/);
    expect(() => ledgerKeys.adjustment(0, 'x')).toThrow('invalid service id 0: expected a positive integer');
  });
});

describe('the rule for unlimited products', () => {
  it('never enforces or warns for an unlimited grant', () => {
    expect(isTrafficEnforced('unlimited')).toBe(false);
    expect(isTrafficExhausted(-10_000_000_000n, 'unlimited')).toBe(false);
    expect(isBalanceLow(1n, 1_000_000_000n, 'unlimited')).toBe(false);
  });

  it('exhausts a limited service at zero or below', () => {
    expect(isTrafficEnforced(5n)).toBe(true);
    expect(isTrafficExhausted(0n, 5n)).toBe(true);
    expect(isTrafficExhausted(-1n, 5n)).toBe(true);
    expect(isTrafficExhausted(1n, 5n)).toBe(false);
  });

  it('warns below the threshold until exhausted, and never with a zero threshold', () => {
    expect(isBalanceLow(999n, 1_000n, 10n)).toBe(true);
    expect(isBalanceLow(1_000n, 1_000n, 10n)).toBe(false);
    expect(isBalanceLow(0n, 1_000n, 10n)).toBe(false);
    expect(isBalanceLow(1n, 0n, 10n)).toBe(false);
  });

  it('clears what unlimited use left behind, and only that', () => {
    expect(clearNegativeBalanceDelta(-7_000n)).toBe(7_000n);
    expect(applyEntry(-7_000n, clearNegativeBalanceDelta(-7_000n)).after).toBe(0n);
    expect(clearNegativeBalanceDelta(0n)).toBe(0n);
    expect(clearNegativeBalanceDelta(5n)).toBe(0n);
  });
});
