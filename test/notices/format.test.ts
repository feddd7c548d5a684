import { formatDate, formatGigabytes } from '../../notices/format';

const NBSP = '\u00a0';

describe('formatGigabytes', () => {
  it.each([
    ['en', '1,234.57 GB'],
    ['pl', '1234,57 GB'],
    ['de', '1.234,57 GB'],
    ['ru', `1${NBSP}234,57 ГБ`],
    ['uk', `1${NBSP}234,57 ГБ`],
    ['es', '1234,57 GB'],
  ] as const)('writes 1 234 567 890 123 bytes in %s as %j', (locale, expected) => {
    expect(formatGigabytes(locale, 1_234_567_890_123n)).toBe(expected);
  });

  it('counts 10^9 bytes as one GB with exactly two decimals', () => {
    expect(formatGigabytes('en', 1_000_000_000n)).toBe('1.00 GB');
    expect(formatGigabytes('en', 1_500_000_000n)).toBe('1.50 GB');
    expect(formatGigabytes('pl', 12_345_678_900_000_000n)).toBe(`12${NBSP}345${NBSP}678,90 GB`);
  });

  it('rounds half up to the hundredth of a GB', () => {
    expect(formatGigabytes('en', 4_999_999n)).toBe('0.00 GB');
    expect(formatGigabytes('en', 5_000_000n)).toBe('0.01 GB');
    expect(formatGigabytes('en', 1_994_999_999n)).toBe('1.99 GB');
    expect(formatGigabytes('en', 1_995_000_000n)).toBe('2.00 GB');
  });

  it('shows an overdrawn balance as zero', () => {
    expect(formatGigabytes('de', -3_000_000_000n)).toBe('0,00 GB');
  });
});

describe('formatDate', () => {
  const boundary = new Date('2026-12-01T00:00:00Z');

  it.each([
    ['en', 'December 1, 2026'],
    ['pl', '1 grudnia 2026'],
    ['de', '1. Dezember 2026'],
    ['ru', '1 декабря 2026 г.'],
    ['uk', '1 грудня 2026 р.'],
    ['es', '1 de diciembre de 2026'],
  ] as const)('writes the cycle end in %s as %j', (locale, expected) => {
    expect(formatDate(locale, boundary)).toBe(expected);
  });

  it('uses the UTC calendar day whatever the offset the instant was written with', () => {
    expect(formatDate('en', new Date('2026-11-30T23:30:00-02:00'))).toBe('December 1, 2026');
    expect(formatDate('en', new Date('2026-12-01T00:30:00+02:00'))).toBe('November 30, 2026');
  });
});
