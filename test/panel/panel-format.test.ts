import { SUPPORTED_LOCALES } from '../../notices/locale';
import type { DailyUsage, TrafficCredit } from '../../panel/src/api-types';
import { PANEL_TEXTS, PanelFormat } from '../../panel/src/texts';
import { dailyBars, usageRows } from '../../panel/src/usage-rows';

const credit = (date: string, addedBytes: string, balanceAfterBytes: string): TrafficCredit => ({
  date,
  kind: 'addon',
  addedBytes,
  balanceBeforeBytes: '0',
  balanceAfterBytes,
  description: `Traffic at ${date}`,
  invoice: '113',
});

describe('the widget formats', () => {
  it.each([
    ['en', '1.5 GB', '1,234.57 GB'],
    ['pl', '1,5 GB', '1234,57 GB'],
    ['de', '1,5 GB', '1.234,57 GB'],
    ['ru', '1,5 ГБ', '1 234,57 ГБ'],
    ['uk', '1,5 ГБ', '1 234,57 ГБ'],
    ['es', '1,5 GB', '1234,57 GB'],
  ] as const)('GB of 10^9 bytes in %s', (locale, small, large) => {
    const format = new PanelFormat(locale);
    expect(format.gb('1500000000')).toBe(small);
    // Whatever space each language groups digits with, the digits and the decimal mark are its own.
    expect(format.gb('1234567890000').replace(/\s/g, ' ')).toBe(large);
  });

  it('signs credits and shows uptime with days', () => {
    const format = new PanelFormat('en');
    expect(format.signedGb('100000000000')).toBe('+100 GB');
    expect(format.signedGb('-2500000000')).toBe('−2.5 GB');
    expect(format.uptime(2 * 86_400 + 3 * 3_600 + 4 * 60 + 5)).toBe('2 d 03:04:05');
  });

  it('has every language in its catalog and shows no raw key', () => {
    expect(Object.keys(PANEL_TEXTS).sort()).toEqual([...SUPPORTED_LOCALES].sort());
    for (const locale of SUPPORTED_LOCALES) {
      expect(new PanelFormat(locale).uptime(59)).toMatch(/^0 \S+ 00:00:59$/);
    }
  });
});

describe('the usage table', () => {
  const daily: DailyUsage = {
    from: '2026-03-01',
    to: '2026-03-03',
    days: [
      { day: '2026-03-03', downloadBytes: '30', uploadBytes: '3', balanceBytes: '900' },
      { day: '2026-03-01', downloadBytes: '10', uploadBytes: '1', balanceBytes: '1000' },
    ],
  };

  it('interleaves the credits of the period where they happened, newest first', () => {
    const rows = usageRows(daily, [
      credit('2026-03-03T08:00:00.000Z', '500', '1400'),
      credit('2026-03-02T12:00:00.000Z', '100', '1100'),
      credit('2026-02-27T12:00:00.000Z', '700', '1011'),
    ]);
    expect(rows.map((row) => (row.kind === 'day' ? row.day : row.at))).toEqual([
      '2026-03-03',
      '2026-03-03T08:00:00.000Z',
      '2026-03-02T12:00:00.000Z',
      '2026-03-01',
    ]);
  });

  it('draws every day of the period, zero where nothing was used', () => {
    expect(dailyBars(daily)).toEqual([
      { day: '2026-03-01', downloadBytes: '10', uploadBytes: '1' },
      { day: '2026-03-02', downloadBytes: '0', uploadBytes: '0' },
      { day: '2026-03-03', downloadBytes: '30', uploadBytes: '3' },
    ]);
  });
});
