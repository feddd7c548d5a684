import { desiredAccount, sameDesiredAccount } from '../../domain/desired-account';
import { parseProductSettings } from '../../domain/product-settings';
import {
  changePassword,
  createServiceState,
  provisioned,
  resetConnection,
  suspend,
  terminate,
  type ServiceState,
  type Transition,
} from '../../domain/service-state';

function accepted(transition: Transition): ServiceState {
  if (!transition.ok) throw new Error(transition.message);
  return transition.state;
}

const product = parseProductSettings({
  pppProfile: 'vpn-20m',
  pppService: 'l2tp',
  commentPrefix: 'Acme',
  downloadMbps: 20,
  uploadMbps: 2.5,
});

const active = accepted(
  provisioned(
    accepted(
      createServiceState({
        serviceId: 42,
        clientId: 7,
        whmcsUsername: 'alice',
        sealedPassword: 'secret1',
        product,
        billingCycle: 'monthly',
      }),
    ),
  ),
);

describe('desiredAccount', () => {
  it('describes the secret and queue of an active service', () => {
    expect(desiredAccount(active)).toEqual({
      present: true,
      name: 'alice',
      sealedPassword: 'secret1',
      profile: 'vpn-20m',
      service: 'l2tp',
      comment: 'Acme [svc=42 client=7]',
      queueMaxLimit: '2500k/20M',
      disabled: false,
      sessionResets: 0,
    });
  });

  it('is disabled while suspended and absent once terminated', () => {
    expect(desiredAccount(accepted(suspend(active, 'traffic'))).disabled).toBe(true);
    expect(desiredAccount(accepted(terminate(active)))).toMatchObject({ present: false, disabled: true });
  });

  it('changes exactly when a command changes what the router should hold', () => {
    const same = accepted(suspend(accepted(suspend(active, 'admin')), 'admin'));
    expect(sameDesiredAccount(desiredAccount(same), desiredAccount(accepted(suspend(active, 'admin'))))).toBe(
      true,
    );
    expect(
      sameDesiredAccount(desiredAccount(active), desiredAccount(accepted(resetConnection(active)))),
    ).toBe(false);
    expect(sameDesiredAccount(desiredAccount(active), desiredAccount(structuredClone(active)))).toBe(true);
  });

  it('asks the router for a kick with a new password', () => {
    const changed = desiredAccount(accepted(changePassword(active, 'secret2')));
    expect(changed).toMatchObject({ sealedPassword: 'secret2', sessionResets: 1 });
    expect(sameDesiredAccount(desiredAccount(active), changed)).toBe(false);
  });
});
