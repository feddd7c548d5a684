import { normalizeInstant, parseInstant, toInstant } from '../../domain/instants';

describe('parseInstant', () => {
  it('reads a bare date as midnight UTC', () => {
    expect(parseInstant('2024-01-31')).toBe(Date.UTC(2024, 0, 31));
  });

  it('reads date-times with Z or an offset', () => {
    expect(parseInstant('2024-01-31T10:15:30Z')).toBe(Date.UTC(2024, 0, 31, 10, 15, 30));
    expect(parseInstant('2024-01-31T10:15:30.5Z')).toBe(Date.UTC(2024, 0, 31, 10, 15, 30, 500));
    expect(parseInstant('2024-01-31T12:15+02:00')).toBe(Date.UTC(2024, 0, 31, 10, 15));
    expect(parseInstant('2024-01-31T00:30:00-01:30')).toBe(Date.UTC(2024, 0, 31, 2, 0));
  });

  it('refuses local times, impossible dates and other formats', () => {
    expect(() => parseInstant('2024-01-31T10:15:30')).toThrow(/with Z or an offset/);
    expect(() => parseInstant('2023-02-29')).toThrow('invalid instant "2023-02-29": no such date or time');
    expect(() => parseInstant('2024-04-31')).toThrow(/no such date/);
    expect(() => parseInstant('2024-01-01T24:00:00Z')).toThrow(/no such date or time/);
    expect(() => parseInstant('2024-01-01T10:00:00+24:00')).toThrow(/invalid instant/);
    expect(() => parseInstant('jan/31/2024')).toThrow(/invalid instant/);
    expect(() => parseInstant('')).toThrow(/invalid instant/);
  });
});

describe('normalizeInstant', () => {
  it('spells equal instants identically', () => {
    const spellings = [
      '2024-02-29',
      '2024-02-29T00:00Z',
      '2024-02-29T00:00:00.000Z',
      '2024-02-29T02:00:00+02:00',
    ];
    expect(new Set(spellings.map(normalizeInstant))).toEqual(new Set(['2024-02-29T00:00:00.000Z']));
  });

  it('round-trips through toInstant', () => {
    expect(toInstant(parseInstant('2031-12-31T23:59:59.999Z'))).toBe('2031-12-31T23:59:59.999Z');
  });
});
