/**
 * Every failure type vpnflow's workflows and activities raise, in one catalogue. A business failure is
 * an ApplicationFailure with one of these types and `nonRetryable: true`; a transient failure is a
 * plain error that Temporal retries. The API maps the types to HTTP statuses in one table
 * (api/failure-status.ts); the service workflow shows router failures in `routerError`.
 */
export const FAILURE = {
  /** The service's state machine refused the command (suspend a terminated service, ...). */
  invalidTransition: 'InvalidTransition',
  /** A command reached a service workflow that has not received its create yet. */
  serviceNotCreated: 'ServiceNotCreated',
  /** A create repeated for another client or router than the service has. */
  serviceConflict: 'ServiceConflict',
  /** A value that can never be accepted, found past the API's validation. */
  invalidInput: 'InvalidInput',
  /** PostgreSQL refused a value (SQLSTATE class 22: out of range, bad encoding, NUL, ...). */
  dataRejected: 'DataRejected',
  /** PostgreSQL refused a row (SQLSTATE class 23: unique, foreign key, check). */
  constraintViolated: 'ConstraintViolated',
  /** The same invoice line was credited before with another amount. */
  creditConflict: 'CreditConflict',
  routerNotFound: 'RouterNotFound',
  /** The router's stored connection settings cannot make a client (unreadable password, bad TLS pin). */
  routerMisconfigured: 'RouterMisconfigured',
  /** The PPP secret or queue name is held on the router by something this service did not create. */
  usernameTakenOnRouter: 'UsernameTakenOnRouter',
  /** A message whose payload was not encrypted with a current key (domain/refused-payloads.ts). */
  unencryptedPayload: 'UnencryptedPayload',
  /** The router's address pool has no free address. */
  addressPoolExhausted: 'AddressPool.exhausted',
  addressPoolServiceNotFound: 'AddressPool.service-not-found',
  addressPoolServiceTerminated: 'AddressPool.service-terminated',
} as const;

/** The non-retryable failures of a customer notice's send: a notice that can never be sent as asked. */
export const NOTICE_FAILURE = {
  unknownKind: 'UnknownNoticeKind',
  invalidAddress: 'InvalidEmailAddress',
  invalidInput: 'InvalidNoticeInput',
  recipientRejected: 'RecipientRejected',
} as const;

export type FailureType = (typeof FAILURE)[keyof typeof FAILURE];

/**
 * Router adapter failures that retrying cannot fix keep the adapter's kind in their type:
 * `Router.authentication`, `Router.tls`, `Router.trap`, `Router.unsupported`, ...
 */
export const ROUTER_FAILURE_PREFIX = 'Router.';

export function routerFailureType(kind: string): string {
  return `${ROUTER_FAILURE_PREFIX}${kind}`;
}

/**
 * Failures a person must fix on the router or in vpnflow's router settings before a retry can help;
 * the service workflow waits long between attempts at these (or until an operator asks to retry).
 */
export function isRouterSetupFailure(type: string | undefined): boolean {
  if (type === undefined) return false;
  return (
    type.startsWith(ROUTER_FAILURE_PREFIX) ||
    type.startsWith('AddressPool.') ||
    type === FAILURE.routerNotFound ||
    type === FAILURE.routerMisconfigured ||
    type === FAILURE.usernameTakenOnRouter
  );
}

/**
 * The database refused the data itself (a value, a row, an amount already credited otherwise): the same
 * write fails again however often it is retried, so it is answered or shown, never retried at once.
 */
export function isDataFailure(type: string | undefined): boolean {
  return (
    type === FAILURE.dataRejected ||
    type === FAILURE.constraintViolated ||
    type === FAILURE.invalidInput ||
    type === FAILURE.creditConflict
  );
}
