import { BILLING_CYCLES, type BillingCycle } from './billing-cycles';
import type { ProductSettings } from './product-settings';
import { pppUsername } from './usernames';

export const SERVICE_STATUSES = ['provisioning', 'active', 'suspended', 'terminated'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const SUSPENSION_REASONS = ['admin', 'billing', 'traffic'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/**
 * What the service workflow carries between commands. Plain JSON only: the reasons are a sorted array
 * without duplicates rather than a Set, so that the state survives payload conversion and
 * continue-as-new unchanged and compares equal when equal.
 */
export interface ServiceState {
  serviceId: number;
  clientId: number;
  status: ServiceStatus;
  suspensionReasons: SuspensionReason[];
  username: string;
  /**
   * SecretBox-sealed by the API, which checks the plain password (pppPasswordProblem) before sealing;
   * only the router activity opens it, so no readable password enters workflow state or history.
   */
  sealedPassword: string;
  product: ProductSettings;
  billingCycle: BillingCycle;
  /**
   * Grows by one per reset-connection and per password change; the router is converged until it has
   * kicked as many.
   */
  sessionResets: number;
}

export type Transition = { ok: true; state: ServiceState } | { ok: false; message: string };

const accept = (state: ServiceState): Transition => ({ ok: true, state });
const reject = (message: string): Transition => ({ ok: false, message });
const TERMINATED = reject('service is terminated');

export interface NewService {
  serviceId: number;
  clientId: number;
  /** The WHMCS username; replaced by `vpn<serviceId>` when not valid for a PPP secret. */
  whmcsUsername: string | null;
  sealedPassword: string;
  product: ProductSettings;
  billingCycle: BillingCycle;
}

export function createServiceState(service: NewService): Transition {
  if (service.sealedPassword === '') return reject('cannot create service: password must not be empty');
  if (!BILLING_CYCLES.includes(service.billingCycle)) {
    return reject(`cannot create service: unknown billing cycle ${String(service.billingCycle)}`);
  }
  return accept({
    serviceId: service.serviceId,
    clientId: service.clientId,
    status: 'provisioning',
    suspensionReasons: [],
    username: pppUsername(service.whmcsUsername, service.serviceId),
    sealedPassword: service.sealedPassword,
    product: service.product,
    billingCycle: service.billingCycle,
    sessionResets: 0,
  });
}

/** The status that a set of reasons implies once the account exists on the router. */
function statusFor(state: ServiceState, reasons: SuspensionReason[]): ServiceStatus {
  if (state.status === 'provisioning') return 'provisioning';
  return reasons.length === 0 ? 'active' : 'suspended';
}

function withReasons(state: ServiceState, reasons: SuspensionReason[]): ServiceState {
  return { ...state, suspensionReasons: reasons, status: statusFor(state, reasons) };
}

function reasonProblem(reason: SuspensionReason): string | null {
  return SUSPENSION_REASONS.includes(reason)
    ? null
    : `unknown suspension reason ${String(reason)} (expected ${SUSPENSION_REASONS.join(', ')})`;
}

/** The account is written to the router first; provisioning ends when the router has confirmed it. */
export function provisioned(state: ServiceState): Transition {
  if (state.status === 'terminated') return TERMINATED;
  if (state.status !== 'provisioning') return reject('service is already provisioned');
  return accept({ ...state, status: state.suspensionReasons.length === 0 ? 'active' : 'suspended' });
}

/** Suspending for a reason already present is accepted and changes nothing: each reason is held once. */
export function suspend(state: ServiceState, reason: SuspensionReason): Transition {
  if (state.status === 'terminated') return TERMINATED;
  const problem = reasonProblem(reason);
  if (problem !== null) return reject(`cannot suspend: ${problem}`);
  if (state.suspensionReasons.includes(reason)) return accept(state);
  return accept(withReasons(state, [...state.suspensionReasons, reason].sort()));
}

/**
 * Lifts one reason; the account stays disabled while any other remains. Lifting a reason that is not
 * present is refused, because the caller believes the account is held for something it is not.
 */
export function unsuspend(state: ServiceState, reason: SuspensionReason): Transition {
  if (state.status === 'terminated') return TERMINATED;
  const problem = reasonProblem(reason);
  if (problem !== null) return reject(`cannot unsuspend: ${problem}`);
  if (!state.suspensionReasons.includes(reason)) {
    return reject(`cannot unsuspend: service is not suspended for ${reason}`);
  }
  const remaining = state.suspensionReasons.filter((held) => held !== reason);
  return accept(withReasons(state, remaining));
}

/** Terminating twice is accepted: a retried WHMCS TerminateAccount must not fail. */
export function terminate(state: ServiceState): Transition {
  if (state.status === 'terminated') return accept(state);
  return accept({ ...state, status: 'terminated', suspensionReasons: [] });
}

/** The old password must stop working at once, so the live session is kicked too. */
export function changePassword(state: ServiceState, sealedPassword: string): Transition {
  if (state.status === 'terminated') return TERMINATED;
  if (sealedPassword === '') return reject('cannot change password: password must not be empty');
  return accept({ ...state, sealedPassword, sessionResets: state.sessionResets + 1 });
}

/** The product must already be validated (parseProductSettings); the new cycle applies from now on. */
export function changePackage(
  state: ServiceState,
  product: ProductSettings,
  billingCycle: BillingCycle,
): Transition {
  if (state.status === 'terminated') return TERMINATED;
  if (!BILLING_CYCLES.includes(billingCycle)) {
    return reject(`cannot change package: unknown billing cycle ${String(billingCycle)}`);
  }
  return accept({ ...state, product, billingCycle });
}

/** Kicks the live session so the client reconnects; there is none while provisioning or suspended. */
export function resetConnection(state: ServiceState): Transition {
  if (state.status === 'terminated') return TERMINATED;
  if (state.status === 'provisioning')
    return reject('cannot reset connection: service is still provisioning');
  if (state.status === 'suspended') {
    return reject(`cannot reset connection: service is suspended (${state.suspensionReasons.join(', ')})`);
  }
  return accept({ ...state, sessionResets: state.sessionResets + 1 });
}

/**
 * Validates a traffic addon. The balance lives in the ledger, not here, so the state is unchanged;
 * whether a traffic suspension can be lifted is decided from the balance the ledger write returns.
 * Addons are accepted while suspended: the client has paid, and the traffic waits for them.
 */
export function addTraffic(state: ServiceState, bytes: bigint): Transition {
  if (state.status === 'terminated') return TERMINATED;
  if (typeof bytes !== 'bigint' || bytes <= 0n)
    return reject('cannot add traffic: the amount must be positive');
  return accept(state);
}

export type ServiceCommand =
  | { type: 'provisioned' }
  | { type: 'suspend'; reason: SuspensionReason }
  | { type: 'unsuspend'; reason: SuspensionReason }
  | { type: 'terminate' }
  | { type: 'changePassword'; sealedPassword: string }
  | { type: 'changePackage'; product: ProductSettings; billingCycle: BillingCycle }
  | { type: 'resetConnection' }
  | { type: 'addTraffic'; bytes: bigint };

/** One entry point for update validators and handlers: validate with it, then apply the same call. */
export function applyCommand(state: ServiceState, command: ServiceCommand): Transition {
  switch (command.type) {
    case 'provisioned':
      return provisioned(state);
    case 'suspend':
      return suspend(state, command.reason);
    case 'unsuspend':
      return unsuspend(state, command.reason);
    case 'terminate':
      return terminate(state);
    case 'changePassword':
      return changePassword(state, command.sealedPassword);
    case 'changePackage':
      return changePackage(state, command.product, command.billingCycle);
    case 'resetConnection':
      return resetConnection(state);
    case 'addTraffic':
      return addTraffic(state, command.bytes);
  }
}

/** The account is enabled on the router only when no suspension reason remains. */
export function isAccountEnabled(state: ServiceState): boolean {
  return state.status !== 'terminated' && state.suspensionReasons.length === 0;
}
