import {
  MAX_COMMENT_LENGTH,
  isValidPppUsername,
  parseServiceComment,
  parseServiceIdFromComment,
  pppUsername,
  sanitizeComment,
  serviceComment,
} from '../../domain/usernames';

describe('PPP usernames', () => {
  it.each(['alice', 'a', 'Bob.Smith', 'user_1', 'alice@example.com', '7eleven', 'x-y', 'a'.repeat(64)])(
    'accepts %j',
    (name) => {
      expect(isValidPppUsername(name)).toBe(true);
      expect(pppUsername(name, 42)).toBe(name);
    },
  );

  it.each([
    '',
    '.alice',
    '-alice',
    '@alice',
    '_alice',
    'al ice',
    'alice"',
    'ålice',
    'a'.repeat(65),
    'a\nb',
    'a,b',
    'a=b',
  ])('replaces %j with vpn<serviceId>', (name) => {
    expect(isValidPppUsername(name)).toBe(false);
    expect(pppUsername(name, 42)).toBe('vpn42');
  });

  it('falls back when WHMCS has no username', () => {
    expect(pppUsername(null, 7)).toBe('vpn7');
    expect(pppUsername(undefined, 7)).toBe('vpn7');
  });

  it('refuses a bad service id for the fallback', () => {
    expect(() => pppUsername(null, -3)).toThrow('invalid service id -3: expected a positive integer');
  });
});

describe('sanitizeComment', () => {
  it('folds accents, turns line breaks into spaces and drops control characters', () => {
    expect(sanitizeComment('Müller  GmbH\r\nZürich\u0000\u0007\u009b')).toBe('Muller GmbH Zurich');
  });

  it('replaces what win1252 cannot carry', () => {
    expect(sanitizeComment('Иван 🚀 VPN')).toBe('???? ? VPN');
  });

  it('caps the length', () => {
    expect(sanitizeComment('x'.repeat(500))).toHaveLength(MAX_COMMENT_LENGTH);
    expect(sanitizeComment('abc def', 4)).toBe('abc');
  });
});

describe('service comments', () => {
  it('tags the service and client where the parser reads them back', () => {
    const comment = serviceComment('Acme VPN', 42, 7);
    expect(comment).toBe('Acme VPN [svc=42 client=7]');
    expect(parseServiceComment(comment)).toEqual({ serviceId: 42, clientId: 7 });
    expect(parseServiceIdFromComment(comment)).toBe(42);
  });

  it('keeps the tag whole when the prefix is long or hostile', () => {
    const long = serviceComment('p'.repeat(300), 123456, 654321);
    expect(long.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(parseServiceIdFromComment(long)).toBe(123456);
    const forged = serviceComment('[svc=1 client=1]\n', 99, 5);
    expect(forged).toBe('svc=1 client=1 [svc=99 client=5]');
    expect(parseServiceIdFromComment(forged)).toBe(99);
    expect(serviceComment('', 3, 4)).toBe('[svc=3 client=4]');
  });

  it('finds no service in comments it did not write', () => {
    for (const comment of [
      '',
      'office router',
      '[svc=0 client=1]',
      '[svc=12 client=3] moved',
      'svc=12',
      '[svc=1e3 client=1]',
    ]) {
      expect(parseServiceIdFromComment(comment)).toBeNull();
    }
  });

  it('refuses ids that are not positive integers', () => {
    expect(() => serviceComment('x', 1, 0)).toThrow('invalid client id 0: expected a positive integer');
  });
});
