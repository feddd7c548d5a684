import { RouterConfigurationError, RouterConnections, RouterUnreachableError } from '../../routeros';
import { plainSpec, rejectionOf, simulatedRouters } from './router-fixture';

const startRouter = simulatedRouters();

describe('RouterConnections', () => {
  it('hands out one client per router id, replaced when the spec changes, and closes them all', async () => {
    const [first, second] = [
      await startRouter({ identity: 'first' }),
      await startRouter({ identity: 'second' }),
    ];
    const pool = new RouterConnections();
    const client = pool.client('7', plainSpec(first));
    expect(pool.client('7', plainSpec(first))).toBe(client);
    await expect(client.routerInfo()).resolves.toMatchObject({ identity: 'first' });

    const moved = pool.client('7', plainSpec(second));
    expect(moved).not.toBe(client);
    await expect(moved.routerInfo()).resolves.toMatchObject({ identity: 'second' });
    await expect(pool.client('8', plainSpec(first)).routerInfo()).resolves.toMatchObject({
      identity: 'first',
    });

    await pool.close();
    await expect(rejectionOf(moved.routerInfo())).resolves.toBeInstanceOf(RouterUnreachableError);
  });

  it('refuses an invalid spec up front with a non-retryable error', () => {
    const pool = new RouterConnections();
    const spec = { host: '127.0.0.1', port: 8729, user: 'api', password: 'secret' };
    expect(() => pool.client('1', { ...spec, tls: { fingerprint: 'not-a-digest' } })).toThrow(
      RouterConfigurationError,
    );
    expect(() => pool.client('1', { ...spec, port: 0, tls: false })).toThrow(RouterConfigurationError);
    expect(() => pool.client('1', { ...spec, tls: false, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
