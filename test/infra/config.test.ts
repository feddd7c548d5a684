import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_VARIABLES, ConfigError, keyList, parseConfig } from '../../infra/config';

const productionSettings = {
  NODE_ENV: 'production',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
  PAYLOAD_CODEC_KEY: Buffer.alloc(32, 2).toString('base64'),
  ADMIN_API_TOKEN: 'qG5t8pZ0wX3rYc7vB1nM4kL6jH2fD9sA0eR5tU8iO3p',
  WHMCS_SHARED_SECRET: 'Zx9Cv8Bn7Mq6Wa5Es4Rd3Tf2Yg1Uh0Ij9Ok8Pl7Mn6b',
  TEMPORAL_CODEC_TOKEN: 'Lk2Jh3Gf4Ds5Aq6Ws7Ed8Rf9Tg0Yh1Uj2Ik3Ol4Pm5n',
  WHMCS_CLIENT_AREA_URL: 'https://billing.example.net/clientarea.php',
};

describe('configuration', () => {
  it('runs a fresh development machine on defaults', () => {
    const settings = parseConfig({});
    expect(settings.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/vpnflow');
    expect(settings.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(settings.API_PORT).toBe(3000);
    expect(Buffer.from(settings.DATA_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    expect(Buffer.from(settings.PAYLOAD_CODEC_KEY, 'base64')).toHaveLength(32);
  });

  it('names each variable that is wrong', () => {
    expect.assertions(3);
    try {
      parseConfig({ API_PORT: '70000', DATABASE_URL: 'mysql://x', DATA_ENCRYPTION_KEY: 'c2hvcnQ=' });
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/^API_PORT: /m);
      expect(problems).toMatch(/^DATABASE_URL: must be a postgres:\/\/ URL/m);
      expect(problems).toMatch(/^DATA_ENCRYPTION_KEY: must be 32 bytes/m);
    }
  });

  it('refuses to start production without its secrets', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(
      /DATA_ENCRYPTION_KEY[\s\S]*PAYLOAD_CODEC_KEY[\s\S]*ADMIN_API_TOKEN[\s\S]*WHMCS_SHARED_SECRET[\s\S]*TEMPORAL_CODEC_TOKEN[\s\S]*WHMCS_CLIENT_AREA_URL/,
    );
    expect(parseConfig(productionSettings).WHMCS_CLIENT_AREA_URL).toBe(
      'https://billing.example.net/clientarea.php',
    );
  });

  it('requires tokens and secrets of at least 32 random bytes in production', () => {
    for (const name of ['ADMIN_API_TOKEN', 'WHMCS_SHARED_SECRET', 'TEMPORAL_CODEC_TOKEN']) {
      for (const weak of ['admin-token-0123456789', 'a'.repeat(64), '0123456789'.repeat(5)]) {
        expect(() => parseConfig({ ...productionSettings, [name]: weak })).toThrow(
          new RegExp(`${name}: must be at least 32 random bytes`),
        );
      }
    }
  });

  it('keeps the codec token URL-safe: the Temporal UI sends it in the codec URL', () => {
    expect(() =>
      parseConfig({
        ...productionSettings,
        TEMPORAL_CODEC_TOKEN: 'Lk2Jh3Gf4Ds5Aq6Ws7Ed8Rf9Tg0Yh1Uj2Ik3Ol4Pm5/+',
      }),
    ).toThrow(/TEMPORAL_CODEC_TOKEN: must be URL-safe/);
  });

  it('refuses the published development secrets unless the API listens on loopback', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) {
      expect(parseConfig({ API_HOST: host }).API_HOST).toBe(host);
    }
    expect(() => parseConfig({ API_HOST: '0.0.0.0' })).toThrow(
      /ADMIN_API_TOKEN: the development default is refused unless API_HOST is loopback[\s\S]*WHMCS_SHARED_SECRET[\s\S]*TEMPORAL_CODEC_TOKEN/,
    );
    const ownSecrets = {
      API_HOST: '0.0.0.0',
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
      PAYLOAD_CODEC_KEY: Buffer.alloc(32, 4).toString('base64'),
      ADMIN_API_TOKEN: 'my-own-admin-token-0123',
      WHMCS_SHARED_SECRET: 'my-own-whmcs-secret-0123',
      TEMPORAL_CODEC_TOKEN: 'my-own-codec-token-0123',
    };
    expect(parseConfig(ownSecrets).API_HOST).toBe('0.0.0.0');
    expect(() => parseConfig({ ...ownSecrets, ADMIN_API_TOKEN: 'dev-admin-token-change-me' })).toThrow(
      /ADMIN_API_TOKEN: the development default/,
    );
  });

  it('links notices only to a web address', () => {
    expect(() => parseConfig({ WHMCS_CLIENT_AREA_URL: 'ftp://billing.example.net/' })).toThrow(
      /WHMCS_CLIENT_AREA_URL: must be an http\(s\) URL/,
    );
  });

  it('lets only the listed WHMCS origins call the client API from a browser, never *', () => {
    expect(parseConfig({}).CLIENT_PANEL_ORIGINS).toEqual([]);
    expect(
      parseConfig({
        CLIENT_PANEL_ORIGINS:
          'https://Billing.Example.net, http://127.0.0.1:8080/,https://billing.example.net:443',
      }).CLIENT_PANEL_ORIGINS,
    ).toEqual(['https://billing.example.net', 'http://127.0.0.1:8080', 'https://billing.example.net']);
    for (const wrong of [
      '*',
      'null',
      'billing.example.net',
      'ftp://billing.example.net',
      'https://billing.example.net/whmcs',
    ]) {
      expect(() => parseConfig({ CLIENT_PANEL_ORIGINS: `https://ok.example.net,${wrong}` })).toThrow(
        new RegExp(`CLIENT_PANEL_ORIGINS: "${wrong.replace(/[.*/]/g, '\\$&')}" is not an origin`),
      );
    }
  });

  it('keeps compressed billing time out of production', () => {
    expect(parseConfig({ BILLING_MONTH_SECONDS: '5' }).BILLING_MONTH_SECONDS).toBe(5);
    expect(() => parseConfig({ ...productionSettings, BILLING_MONTH_SECONDS: '5' })).toThrow(
      /BILLING_MONTH_SECONDS: compresses billing time/,
    );
    expect(parseConfig(productionSettings).BILLING_MONTH_SECONDS).toBeUndefined();
  });

  it('takes several comma-separated keys for rotation, the first one encrypting', () => {
    const [newer, older] = [Buffer.alloc(32, 8), Buffer.alloc(32, 9)].map((key) => key.toString('base64'));
    const settings = parseConfig({ PAYLOAD_CODEC_KEY: `${newer}, ${older}`, DATA_ENCRYPTION_KEY: newer });
    expect(keyList(settings.PAYLOAD_CODEC_KEY)).toEqual([newer, older]);
    expect(keyList(settings.DATA_ENCRYPTION_KEY)).toEqual([newer]);
    expect(() => parseConfig({ PAYLOAD_CODEC_KEY: `${newer},c2hvcnQ=` })).toThrow(
      /PAYLOAD_CODEC_KEY: must be 32 bytes/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig({ API_PORT: '' }).API_PORT).toBe(3000);
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
