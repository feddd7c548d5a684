import { ApplicationFailure } from '@temporalio/common';
import { FAILURE, type FailureType } from '../domain/failures';
import { HttpError } from './errors';

/** The one table from failure types (domain/failures.ts) to what the API answers. */
const ANSWER_OF_FAILURE: Readonly<Record<FailureType, { status: number; code: string }>> = {
  [FAILURE.invalidTransition]: { status: 409, code: 'invalid_transition' },
  [FAILURE.serviceNotCreated]: { status: 404, code: 'service_not_found' },
  [FAILURE.serviceConflict]: { status: 409, code: 'service_conflict' },
  [FAILURE.invalidInput]: { status: 400, code: 'invalid_request' },
  [FAILURE.dataRejected]: { status: 400, code: 'data_rejected' },
  [FAILURE.constraintViolated]: { status: 409, code: 'constraint_violated' },
  [FAILURE.creditConflict]: { status: 409, code: 'credit_conflict' },
  [FAILURE.routerNotFound]: { status: 422, code: 'unknown_router' },
  [FAILURE.routerMisconfigured]: { status: 422, code: 'router_misconfigured' },
  [FAILURE.usernameTakenOnRouter]: { status: 409, code: 'username_taken_on_router' },
  [FAILURE.unencryptedPayload]: { status: 400, code: 'unencrypted_payload' },
  [FAILURE.addressPoolExhausted]: { status: 409, code: 'address_pool_exhausted' },
  [FAILURE.addressPoolServiceNotFound]: { status: 404, code: 'service_not_found' },
  [FAILURE.addressPoolServiceTerminated]: { status: 409, code: 'invalid_transition' },
};

/**
 * What the API answers for a workflow's business failure: a client error in the one shape, with the
 * failure's own message. A type outside the catalogue is a bug and stays a server error.
 */
export function httpErrorOf(failure: unknown): HttpError | undefined {
  if (!(failure instanceof ApplicationFailure) || !failure.type) return undefined;
  const answer = ANSWER_OF_FAILURE[failure.type as FailureType];
  return answer && new HttpError(answer.status, answer.code, failure.message);
}
