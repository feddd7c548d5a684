import { BYTES_PER_GB, bigintFromJson, bigintToJson, formatBytes, gbToBytes } from '../../domain/units';

describe('gbToBytes', () => {
  it('uses 10^9 bytes per GB', () => {
    expect(BYTES_PER_GB).toBe(1_000_000_000n);
    expect(gbToBytes(1)).toBe(1_000_000_000n);
    expect(gbToBytes(0)).toBe(0n);
  });

  it('converts decimals exactly, where float arithmetic would not', () => {
    expect(1.005 * 1e9).not.toBe(1_005_000_000);
    expect(gbToBytes(0.5)).toBe(500_000_000n);
    expect(gbToBytes(1.005)).toBe(1_005_000_000n);
    expect(gbToBytes(4.35)).toBe(4_350_000_000n);
    expect(gbToBytes(123456789.123)).toBe(123_456_789_123_000_000n);
  });

  it('accepts the strings forms post', () => {
    expect(gbToBytes('2.5')).toBe(2_500_000_000n);
    expect(gbToBytes(' 10 ')).toBe(10_000_000_000n);
    expect(gbToBytes('1.2500')).toBe(1_250_000_000n);
  });

  it.each([
    [-1, 'traffic in GB must not be negative, got -1'],
    [Number.NaN, 'traffic in GB must be a finite number, got NaN'],
    [Number.POSITIVE_INFINITY, 'traffic in GB must be a finite number, got Infinity'],
    [0.0005, 'traffic in GB allows at most 3 decimals, got 0.0005'],
    [1e-7, 'traffic in GB allows at most 3 decimals, got 1e-7'],
    [1e21, 'traffic in GB must be a decimal number, got "1e+21"'],
    ['1.2345', 'traffic in GB allows at most 3 decimals, got 1.2345'],
    ['', 'traffic in GB must be a decimal number, got ""'],
    ['1e3', 'traffic in GB must be a decimal number, got "1e3"'],
    ['five', 'traffic in GB must be a decimal number, got "five"'],
  ])('refuses %p', (value, message) => {
    expect(() => gbToBytes(value)).toThrow(message);
  });
});

describe('formatBytes', () => {
  it.each([
    [0n, '0 B'],
    [994n, '994 B'],
    [1_000n, '1.00 kB'],
    [1_536n, '1.54 kB'],
    [12_345_678n, '12.35 MB'],
    [994_994_999n, '994.99 MB'],
    [995_000_000n, '1.00 GB'],
    [999_999_999n, '1.00 GB'],
    [1_500_000_000n, '1.50 GB'],
    [1_234_567_890_123n, '1234.57 GB'],
    [-2_500_000_000n, '-2.50 GB'],
    [-500n, '-500 B'],
  ])('writes %p as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('bigint at JSON boundaries', () => {
  it('round-trips beyond Number precision', () => {
    const huge = 2n ** 70n + 1n;
    expect(JSON.parse(JSON.stringify({ bytes: bigintToJson(huge) })).bytes).toBe('1180591620717411303425');
    expect(bigintFromJson(bigintToJson(huge))).toBe(huge);
    expect(bigintFromJson('-42')).toBe(-42n);
  });

  it('refuses what is not an integer', () => {
    expect(() => bigintFromJson('1.5')).toThrow('invalid integer "1.5": expected decimal digits');
    expect(() => bigintFromJson('')).toThrow(/invalid integer/);
    expect(() => bigintFromJson('0x10')).toThrow(/invalid integer/);
  });
});
