import { addressesInCidr, formatIpv4, parseIpv4 } from '../../store/address-pool-store';

describe('addressesInCidr', () => {
  it('skips the network and broadcast addresses of ranges shorter than /31', () => {
    const addresses = addressesInCidr('10.0.0.0/30');
    expect(addresses).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(addressesInCidr('10.0.0.0/24')).toHaveLength(254);
    expect(addressesInCidr('172.16.0.0/16')).toHaveLength(65_534);
    expect(addressesInCidr('172.16.0.0/16').at(-1)).toBe('172.16.255.254');
  });

  it('keeps every address of a /31 and a /32', () => {
    expect(addressesInCidr('192.0.2.6/31')).toEqual(['192.0.2.6', '192.0.2.7']);
    expect(addressesInCidr('192.0.2.9/32')).toEqual(['192.0.2.9']);
  });

  it('crosses octet boundaries and reaches the top of the address space', () => {
    expect(addressesInCidr('10.0.0.0/23').slice(254, 257)).toEqual(['10.0.0.255', '10.0.1.0', '10.0.1.1']);
    expect(addressesInCidr('255.255.255.252/30')).toEqual(['255.255.255.253', '255.255.255.254']);
  });

  it('refuses ranges wider than /16, host bits, and anything not an IPv4 CIDR', () => {
    expect(() => addressesInCidr('10.0.0.0/15')).toThrow('must be a /16 or smaller');
    expect(() => addressesInCidr('10.0.0.1/24')).toThrow('the network is 10.0.0.0/24');
    for (const text of [
      '10.0.0.0',
      '10.0.0.0/33',
      '10.0.0/24',
      '010.0.0.0/24',
      '2001:db8::/64',
      '10.0.0.0/-1',
    ])
      expect(() => addressesInCidr(text)).toThrow(RangeError);
  });

  it('parses and formats dotted quads', () => {
    expect(parseIpv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(parseIpv4('1.2.3.256')).toBeUndefined();
    expect(formatIpv4(parseIpv4('10.200.3.4') as number)).toBe('10.200.3.4');
  });
});
