import { routerSpeedLimits } from './rate-limit';
import { isAccountEnabled, type ServiceState } from './service-state';
import { serviceComment } from './usernames';
import type { PppService } from './product-settings';

/**
 * What the router should hold for a service: the PPP secret and the static queue that meters and
 * limits it. Commands change the service state; the converge activity makes the router match this and
 * reads it back. The address (queue target, secret remote-address) is allocated from the router's pool
 * by that activity and is not part of the pure state.
 */
export interface DesiredAccount {
  /** False once terminated: the secret and queue are removed and the session kicked. */
  present: boolean;
  name: string;
  /** Sealed; the router activity opens it. */
  sealedPassword: string;
  profile: string;
  service: PppService;
  comment: string;
  /** Queue `max-limit`, `<client upload>/<client download>`. */
  queueMaxLimit: string;
  disabled: boolean;
  /** Session kicks requested so far; the activity kicks when it has done fewer. */
  sessionResets: number;
}

export function desiredAccount(state: ServiceState): DesiredAccount {
  const { product } = state;
  return {
    present: state.status !== 'terminated',
    name: state.username,
    sealedPassword: state.sealedPassword,
    profile: product.pppProfile,
    service: product.pppService,
    comment: serviceComment(product.commentPrefix, state.serviceId, state.clientId),
    queueMaxLimit: routerSpeedLimits(product).queueMaxLimit,
    disabled: !isAccountEnabled(state),
    sessionResets: state.sessionResets,
  };
}

export function sameDesiredAccount(a: DesiredAccount, b: DesiredAccount): boolean {
  return (Object.keys(a) as (keyof DesiredAccount)[]).every((key) => a[key] === b[key]);
}
