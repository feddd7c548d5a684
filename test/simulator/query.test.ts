import { matchesQuery, validateQueries } from '../../simulator/query';
import { ApiTrap } from '../../simulator/trap';

const row = new Map([
  ['name', 'alice'],
  ['type', 'ether'],
  ['disabled', 'false'],
  ['rx-byte', '9'],
  ['comment', ''],
  ['.id', '*A'],
]);
const matches = (...queries: string[]) => matchesQuery(row, queries);

describe('print queries', () => {
  it('matches everything without query words', () => {
    expect(matches()).toBe(true);
  });

  it('tests presence and absence, with or without a trailing =', () => {
    expect(matches('name')).toBe(true);
    expect(matches('missing')).toBe(false);
    expect(matches('-missing')).toBe(true);
    expect(matches('-missing=')).toBe(true);
    expect(matches('-name')).toBe(false);
    expect(matches('-name=')).toBe(false);
  });

  it('tests equality in both spellings, including the empty value', () => {
    expect(matches('name=alice')).toBe(true);
    expect(matches('=name=alice')).toBe(true);
    expect(matches('name=bob')).toBe(false);
    expect(matches('comment=')).toBe(true);
    expect(matches('missing=')).toBe(false);
  });

  it('compares numbers as numbers, ids as ids and text as text', () => {
    expect(matches('<rx-byte=10')).toBe(true);
    expect(matches('>rx-byte=10')).toBe(false);
    expect(matches('>rx-byte=8')).toBe(true);
    expect(matches('<.id=*10')).toBe(true);
    expect(matches('>name=aaa')).toBe(true);
    expect(matches('<name=aaa')).toBe(false);
  });

  it('treats ?>comment= as non-empty', () => {
    expect(matches('>comment=')).toBe(false);
    expect(matches('>name=')).toBe(true);
    expect(matches('>missing=')).toBe(false);
  });

  it('fails when any false remains on the stack (implicit and)', () => {
    expect(matches('name=alice', 'type=ether')).toBe(true);
    expect(matches('name=alice', 'type=vlan')).toBe(false);
  });

  it('combines with | & ! and .', () => {
    expect(matches('type=vlan', 'type=ether', '#|')).toBe(true);
    expect(matches('type=vlan', 'type=bridge', '#|')).toBe(false);
    expect(matches('type=vlan', 'type=bridge', '#|!')).toBe(true);
    expect(matches('type=ether', 'name=alice', '#&')).toBe(true);
    expect(matches('type=ether', 'name=bob', '#&')).toBe(false);
    expect(matches('type=vlan', '#.|')).toBe(false);
    expect(matches('type=vlan', '#.!|')).toBe(true);
  });

  it('reads the empty stack as true', () => {
    expect(matches('#|')).toBe(true);
    expect(matches('#&')).toBe(true);
    expect(matches('#!')).toBe(false);
  });

  it('copies a stack value by index, or replaces the stack with it at the end of the word', () => {
    expect(matches('type=ether', 'type=vlan', '#1')).toBe(true);
    expect(matches('type=ether', 'type=vlan', '#0')).toBe(false);
    expect(matches('type=ether', 'type=vlan', '#1!')).toBe(false);
    expect(matches('type=vlan', 'type=ether', '#1.')).toBe(false);
    expect(matches('type=vlan', 'type=ether', 'name=alice', '#2!1|&')).toBe(false);
  });

  it('rejects malformed query words', () => {
    expect(() => validateQueries(['#x'])).toThrow(ApiTrap);
    expect(() => validateQueries([''])).toThrow(ApiTrap);
    expect(() => validateQueries(['name=a', '#|!0'])).not.toThrow();
  });
});
