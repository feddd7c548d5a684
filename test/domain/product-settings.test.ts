import {
  DEFAULT_PRODUCT_SETTINGS,
  parseProductSettings,
  safeParseProductSettings,
} from '../../domain/product-settings';

function errorsOf(input: unknown): string[] {
  const result = safeParseProductSettings(input);
  if (result.ok) throw new Error('expected the settings to be refused');
  return result.errors;
}

describe('product settings', () => {
  it('fills every field with a default: unlimited, nothing offered until switched on', () => {
    expect(parseProductSettings({})).toEqual(DEFAULT_PRODUCT_SETTINGS);
    expect(DEFAULT_PRODUCT_SETTINGS).toEqual({
      pppProfile: 'default',
      pppService: 'any',
      commentPrefix: 'vpnflow',
      downloadMbps: 0,
      uploadMbps: 0,
      trafficGb: {
        monthly: 0,
        quarterly: 0,
        semiannually: 0,
        annually: 0,
        biennially: 0,
        triennially: 0,
        onetime: 0,
        free: 0,
      },
      lowBalanceThresholdGb: 1,
      historyDays: 0,
      protocols: {
        pptp: { enabled: false, customHtml: '' },
        l2tp: { enabled: false, ipsecSecret: '', customHtml: '' },
        ovpn: { enabled: false, profile: '', customHtml: '' },
        sstp: { enabled: false, customHtml: '' },
      },
      setupInstructionsUrl: '',
    });
  });

  it('keeps a full product as given and reads numbers posted as strings', () => {
    const settings = parseProductSettings({
      pppProfile: 'vpn-50m',
      pppService: 'l2tp',
      commentPrefix: 'Acme VPN',
      downloadMbps: '50',
      uploadMbps: 12.5,
      trafficGb: { monthly: '100', quarterly: 300, annually: 1200.25 },
      lowBalanceThresholdGb: 0.5,
      historyDays: 90,
      protocols: {
        l2tp: { enabled: true, ipsecSecret: 'psk-123', customHtml: '<b>Use L2TP</b>' },
        sstp: { enabled: false },
      },
      setupInstructionsUrl: 'https://help.example.com/vpn',
    });
    expect(settings).toMatchObject({
      pppProfile: 'vpn-50m',
      downloadMbps: 50,
      uploadMbps: 12.5,
      trafficGb: { monthly: 100, quarterly: 300, annually: 1200.25, semiannually: 0 },
      protocols: { l2tp: { enabled: true, ipsecSecret: 'psk-123', customHtml: '<b>Use L2TP</b>' } },
      setupInstructionsUrl: 'https://help.example.com/vpn',
    });
  });

  it('names every bad field in one pass', () => {
    expect(
      errorsOf({
        pppProfile: '',
        pppService: 'pppoe',
        downloadMbps: -1,
        uploadMbps: '1.2345',
        trafficGb: { monthly: 'lots', weekly: 3 },
        lowBalanceThresholdGb: Number.NaN,
        historyDays: 1.5,
        setupInstructionsUrl: 'javascript:alert(1)',
        downloadSpeed: 10,
      }),
    ).toEqual([
      'pppProfile: Too small: expected string to have >=1 characters',
      'pppService: Invalid option: expected one of "any"|"l2tp"|"pptp"|"sstp"|"ovpn"',
      'downloadMbps: must not be negative, got -1',
      'uploadMbps: allows at most 3 decimals, got 1.2345',
      'trafficGb.monthly: must be a decimal number, got "lots"',
      'trafficGb.weekly: unknown field',
      'lowBalanceThresholdGb: expected a number or a decimal string',
      'historyDays: Invalid input: expected int, received number',
      'setupInstructionsUrl: Invalid URL',
      'downloadSpeed: unknown field',
    ]);
  });

  it('catches values typed in the wrong unit or type', () => {
    expect(errorsOf({ downloadMbps: 10_000_000, uploadMbps: true, trafficGb: { monthly: 5e9 } })).toEqual([
      'downloadMbps: must be at most 100000 Mbit/s',
      'uploadMbps: expected a number or a decimal string',
      'trafficGb.monthly: must be at most 1000000000 GB',
    ]);
  });

  it('refuses control characters in router fields', () => {
    expect(
      errorsOf({ pppProfile: 'vpn\n/system reboot', protocols: { l2tp: { ipsecSecret: 'a\u0000b' } } }),
    ).toEqual([
      'pppProfile: must not contain control characters',
      'protocols.l2tp.ipsecSecret: must not contain control characters',
    ]);
  });

  it('refuses protocols the PPP service cannot carry and protocols missing what clients need', () => {
    expect(
      errorsOf({
        pppService: 'l2tp',
        protocols: { pptp: { enabled: true }, l2tp: { enabled: true }, ovpn: { enabled: true } },
      }),
    ).toEqual([
      'protocols.pptp.enabled: PPTP cannot be offered: the PPP service is l2tp',
      'protocols.ovpn.enabled: OpenVPN cannot be offered: the PPP service is l2tp',
      'protocols.l2tp.ipsecSecret: required when L2TP is offered',
      'protocols.ovpn.profile: required when OpenVPN is offered',
    ]);
  });

  it('offers every protocol when the PPP service is any', () => {
    const settings = parseProductSettings({
      protocols: {
        pptp: { enabled: true },
        l2tp: { enabled: true, ipsecSecret: 'k' },
        ovpn: { enabled: true, profile: 'client\nremote vpn.example.com 1194\n' },
        sstp: { enabled: true },
      },
    });
    expect(Object.values(settings.protocols).every((protocol) => protocol.enabled)).toBe(true);
  });

  it('treats an empty instructions URL as none and refuses non-web URLs', () => {
    expect(parseProductSettings({ setupInstructionsUrl: '' }).setupInstructionsUrl).toBe('');
    expect(errorsOf({ setupInstructionsUrl: 'ftp://files.example.com/vpn.pdf' })).toEqual([
      'setupInstructionsUrl: Invalid URL',
    ]);
  });

  it('throws one error naming every field', () => {
    expect(() => parseProductSettings({ downloadMbps: -1, historyDays: -1 })).toThrow(
      'invalid product settings: downloadMbps: must not be negative, got -1; ' +
        'historyDays: Too small: expected number to be >=0',
    );
    expect(() => parseProductSettings(null)).toThrow(
      'invalid product settings: settings: Invalid input: expected object, received null',
    );
  });
});
