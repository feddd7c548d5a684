import { parseProductSettings } from '../../domain/product-settings';
import {
  addTraffic,
  applyCommand,
  changePackage,
  changePassword,
  createServiceState,
  isAccountEnabled,
  provisioned,
  resetConnection,
  suspend,
  terminate,
  unsuspend,
  type ServiceState,
  type SuspensionReason,
  type Transition,
} from '../../domain/service-state';

const product = parseProductSettings({ downloadMbps: 20, uploadMbps: 5, trafficGb: { monthly: 100 } });

function accepted(transition: Transition): ServiceState {
  if (!transition.ok) throw new Error(`expected the command to be accepted, got: ${transition.message}`);
  return transition.state;
}

function rejection(transition: Transition): string {
  if (transition.ok) throw new Error('expected the command to be rejected');
  return transition.message;
}

const fresh = (): ServiceState =>
  accepted(
    createServiceState({
      serviceId: 42,
      clientId: 7,
      whmcsUsername: 'alice',
      sealedPassword: 'secret1',
      product,
      billingCycle: 'monthly',
    }),
  );
const active = (): ServiceState => accepted(provisioned(fresh()));

describe('createServiceState', () => {
  it('starts provisioning, enabled, with the WHMCS username when valid', () => {
    expect(fresh()).toEqual({
      serviceId: 42,
      clientId: 7,
      status: 'provisioning',
      suspensionReasons: [],
      username: 'alice',
      sealedPassword: 'secret1',
      product,
      billingCycle: 'monthly',
      sessionResets: 0,
    });
    expect(isAccountEnabled(fresh())).toBe(true);
  });

  it('falls back to vpn<serviceId> for a username RouterOS should not get', () => {
    const state = accepted(
      createServiceState({
        serviceId: 9,
        clientId: 1,
        whmcsUsername: 'a b',
        sealedPassword: 'pw',
        product,
        billingCycle: 'free',
      }),
    );
    expect(state.username).toBe('vpn9');
  });

  it('refuses a bad password', () => {
    expect(
      rejection(
        createServiceState({
          serviceId: 9,
          clientId: 1,
          whmcsUsername: null,
          sealedPassword: '',
          product,
          billingCycle: 'free',
        }),
      ),
    ).toBe('cannot create service: password must not be empty');
  });
});

describe('provisioned', () => {
  it('makes a provisioning service active', () => {
    expect(active().status).toBe('active');
  });

  it('makes it suspended when a suspension arrived while provisioning', () => {
    const state = accepted(provisioned(accepted(suspend(fresh(), 'billing'))));
    expect(state.status).toBe('suspended');
    expect(state.suspensionReasons).toEqual(['billing']);
  });

  it('happens once', () => {
    expect(rejection(provisioned(active()))).toBe('service is already provisioned');
  });
});

describe('suspend and unsuspend', () => {
  it('keeps the reasons as a sorted array without duplicates and stays disabled until none remain', () => {
    let state = active();
    for (const reason of ['traffic', 'admin', 'billing', 'admin'] as const)
      state = accepted(suspend(state, reason));
    expect(state.suspensionReasons).toEqual(['admin', 'billing', 'traffic']);
    expect(state.status).toBe('suspended');
    expect(isAccountEnabled(state)).toBe(false);

    state = accepted(unsuspend(state, 'billing'));
    expect(state.suspensionReasons).toEqual(['admin', 'traffic']);
    expect(state.status).toBe('suspended');
    state = accepted(unsuspend(state, 'traffic'));
    expect(isAccountEnabled(state)).toBe(false);
    state = accepted(unsuspend(state, 'admin'));
    expect(state).toEqual({ ...active(), suspensionReasons: [], status: 'active' });
    expect(isAccountEnabled(state)).toBe(true);
  });

  it('accepts a repeated suspension without change', () => {
    const once = accepted(suspend(active(), 'admin'));
    expect(accepted(suspend(once, 'admin'))).toEqual(once);
  });

  it('refuses to lift a reason that is not held', () => {
    expect(rejection(unsuspend(active(), 'billing'))).toBe(
      'cannot unsuspend: service is not suspended for billing',
    );
    const byAdmin = accepted(suspend(active(), 'admin'));
    expect(rejection(unsuspend(byAdmin, 'traffic'))).toBe(
      'cannot unsuspend: service is not suspended for traffic',
    );
  });

  it('keeps a provisioning service provisioning', () => {
    const state = accepted(unsuspend(accepted(suspend(fresh(), 'admin')), 'admin'));
    expect(state.status).toBe('provisioning');
  });

  it('refuses reasons it does not know (update arguments arrive as JSON)', () => {
    const unknown = 'payment' as SuspensionReason;
    expect(rejection(suspend(active(), unknown))).toBe(
      'cannot suspend: unknown suspension reason payment (expected admin, billing, traffic)',
    );
    expect(rejection(unsuspend(active(), unknown))).toMatch(
      /^cannot unsuspend: unknown suspension reason payment/,
    );
  });

  it('does not change the state it was given', () => {
    const state = active();
    const snapshot = structuredClone(state);
    accepted(suspend(state, 'admin'));
    expect(state).toEqual(snapshot);
  });
});

describe('terminate', () => {
  it('ends the service, clears the reasons and disables it', () => {
    const state = accepted(terminate(accepted(suspend(active(), 'billing'))));
    expect(state.status).toBe('terminated');
    expect(state.suspensionReasons).toEqual([]);
    expect(isAccountEnabled(state)).toBe(false);
  });

  it('accepts a repeated termination', () => {
    const state = accepted(terminate(active()));
    expect(accepted(terminate(state))).toEqual(state);
  });

  it('is final: every other command is refused', () => {
    const state = accepted(terminate(fresh()));
    const results = [
      provisioned(state),
      suspend(state, 'admin'),
      unsuspend(state, 'admin'),
      changePassword(state, 'new-pass'),
      changePackage(state, product, 'annually'),
      resetConnection(state),
      addTraffic(state, 1n),
    ];
    expect(results.map(rejection)).toEqual(Array(results.length).fill('service is terminated'));
  });
});

describe('changePassword', () => {
  it('sets the new password, also while suspended', () => {
    expect(accepted(changePassword(active(), 'n3w')).sealedPassword).toBe('n3w');
    expect(accepted(changePassword(accepted(suspend(active(), 'billing')), 'n3w')).sealedPassword).toBe(
      'n3w',
    );
  });

  it('kicks the live session, so the old password stops working at once', () => {
    const changed = accepted(changePassword(active(), 'n3w'));
    expect(changed.sessionResets).toBe(1);
    expect(accepted(changePassword(changed, 'n3w-again')).sessionResets).toBe(2);
  });

  it('refuses an empty password', () => {
    expect(rejection(changePassword(active(), ''))).toBe(
      'cannot change password: password must not be empty',
    );
  });
});

describe('changePackage', () => {
  it('replaces product and cycle and keeps everything else', () => {
    const faster = parseProductSettings({ downloadMbps: 100, uploadMbps: 20 });
    const state = accepted(changePackage(accepted(suspend(active(), 'traffic')), faster, 'annually'));
    expect(state).toMatchObject({
      product: faster,
      billingCycle: 'annually',
      suspensionReasons: ['traffic'],
    });
  });

  it('refuses an unknown cycle', () => {
    expect(rejection(changePackage(active(), product, 'weekly' as 'monthly'))).toBe(
      'cannot change package: unknown billing cycle weekly',
    );
  });
});

describe('resetConnection', () => {
  it('counts each request so the router kicks once per request', () => {
    const once = accepted(resetConnection(active()));
    expect(once.sessionResets).toBe(1);
    expect(accepted(resetConnection(once)).sessionResets).toBe(2);
  });

  it('refuses when there can be no session', () => {
    expect(rejection(resetConnection(fresh()))).toBe(
      'cannot reset connection: service is still provisioning',
    );
    const suspended = accepted(suspend(accepted(suspend(active(), 'traffic')), 'admin'));
    expect(rejection(resetConnection(suspended))).toBe(
      'cannot reset connection: service is suspended (admin, traffic)',
    );
  });
});

describe('addTraffic', () => {
  it('accepts a positive amount, also while suspended, without changing the state', () => {
    expect(accepted(addTraffic(active(), 5_000_000_000n))).toEqual(active());
    const suspended = accepted(suspend(active(), 'traffic'));
    expect(accepted(addTraffic(suspended, 1n))).toEqual(suspended);
  });

  it('refuses nothing or less', () => {
    expect(rejection(addTraffic(active(), 0n))).toBe('cannot add traffic: the amount must be positive');
    expect(rejection(addTraffic(active(), -5n))).toBe('cannot add traffic: the amount must be positive');
  });
});

describe('applyCommand', () => {
  it('gives the same result as the transition it names', () => {
    const state = accepted(suspend(active(), 'traffic'));
    expect(applyCommand(state, { type: 'unsuspend', reason: 'traffic' })).toEqual(
      unsuspend(state, 'traffic'),
    );
    expect(applyCommand(state, { type: 'unsuspend', reason: 'billing' })).toEqual(
      unsuspend(state, 'billing'),
    );
    expect(applyCommand(state, { type: 'suspend', reason: 'admin' })).toEqual(suspend(state, 'admin'));
    expect(applyCommand(fresh(), { type: 'provisioned' })).toEqual(provisioned(fresh()));
    expect(applyCommand(state, { type: 'terminate' })).toEqual(terminate(state));
    expect(applyCommand(state, { type: 'changePassword', sealedPassword: 'p' })).toEqual(
      changePassword(state, 'p'),
    );
    expect(applyCommand(state, { type: 'changePackage', product, billingCycle: 'quarterly' })).toEqual(
      changePackage(state, product, 'quarterly'),
    );
    expect(applyCommand(active(), { type: 'resetConnection' })).toEqual(resetConnection(active()));
    expect(applyCommand(state, { type: 'addTraffic', bytes: 0n })).toEqual(addTraffic(state, 0n));
  });

  it('keeps the state plain JSON through any sequence of commands', () => {
    let state = fresh();
    for (const command of [
      { type: 'suspend', reason: 'billing' },
      { type: 'provisioned' },
      { type: 'changePassword', sealedPassword: 'x' },
      { type: 'unsuspend', reason: 'billing' },
      { type: 'resetConnection' },
    ] as const) {
      state = accepted(applyCommand(state, command));
    }
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
