import { cycleStartAt, nextCycleBoundary } from '../../domain/billing-cycles';
import { cycleGrantFor } from '../../domain/cycle-grants';
import { parseProductSettings } from '../../domain/product-settings';
import {
  createServiceState,
  provisioned,
  suspend,
  terminate,
  unsuspend,
  type ServiceState,
  type Transition,
} from '../../domain/service-state';

function accepted(transition: Transition): ServiceState {
  if (!transition.ok) throw new Error(transition.message);
  return transition.state;
}

const anchor = '2024-01-31';
const product = parseProductSettings({ trafficGb: { monthly: 50, onetime: 10 } });
const active = accepted(
  provisioned(
    accepted(
      createServiceState({
        serviceId: 42,
        clientId: 7,
        whmcsUsername: 'alice',
        sealedPassword: 'pw',
        product,
        billingCycle: 'monthly',
      }),
    ),
  ),
);

/** What the workflow does on calendar months: find the cycle that contains the moment, then ask. */
const grantAt = (state: ServiceState, at: string) =>
  cycleGrantFor(state, cycleStartAt(state.billingCycle, anchor, at));

describe('cycleGrantFor', () => {
  it('grants the product traffic for the cycle that contains the moment, keyed by its start', () => {
    expect(grantAt(active, '2024-03-15T12:00:00Z')).toEqual({
      key: 'grant:42:2024-02-29T00:00:00.000Z',
      cycleStart: '2024-02-29T00:00:00.000Z',
      bytes: 50_000_000_000n,
    });
  });

  it('names each cycle once however often it is asked within it', () => {
    const keys = ['2024-02-29T00:00:00Z', '2024-03-10T00:00:00Z', '2024-03-30T23:59:59.999Z'].map(
      (at) => grantAt(active, at)?.key,
    );
    expect(new Set(keys)).toEqual(new Set(['grant:42:2024-02-29T00:00:00.000Z']));
  });

  it('gives each boundary its own key', () => {
    const keys = new Set<string | undefined>();
    let at = anchor;
    for (let cycle = 0; cycle < 24; cycle += 1) {
      keys.add(grantAt(active, at)?.key);
      at = nextCycleBoundary('monthly', anchor, at) ?? '';
    }
    expect(keys.size).toBe(24);
  });

  it('grants nothing while suspended for billing, and the current cycle only after unsuspend', () => {
    const unpaid = accepted(suspend(active, 'billing'));
    expect(grantAt(unpaid, '2024-02-29')).toBeNull();
    expect(grantAt(unpaid, '2024-03-31')).toBeNull();
    const paid = accepted(unsuspend(unpaid, 'billing'));
    expect(grantAt(paid, '2024-04-12T09:30:00Z')?.key).toBe('grant:42:2024-03-31T00:00:00.000Z');
  });

  it('still grants while suspended for traffic or by an admin', () => {
    expect(grantAt(accepted(suspend(active, 'traffic')), '2024-02-29')).not.toBeNull();
    expect(grantAt(accepted(suspend(active, 'admin')), '2024-02-29')).not.toBeNull();
  });

  it('grants nothing once terminated or for an unlimited cycle', () => {
    expect(grantAt(accepted(terminate(active)), '2024-02-29')).toBeNull();
    expect(grantAt({ ...active, billingCycle: 'annually' }, '2024-02-29')).toBeNull();
  });

  it('spells the cycle start canonically in the key', () => {
    expect(cycleGrantFor(active, '2024-03-31T02:00:00+02:00')?.key).toBe('grant:42:2024-03-31T00:00:00.000Z');
  });

  it('grants a one-time product once, at its anchor', () => {
    const once = { ...active, billingCycle: 'onetime' as const };
    expect(grantAt(once, '2027-06-01')).toEqual({
      key: 'grant:42:2024-01-31T00:00:00.000Z',
      cycleStart: '2024-01-31T00:00:00.000Z',
      bytes: 10_000_000_000n,
    });
  });
});
