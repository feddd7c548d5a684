import { ApplicationFailure } from '@temporalio/common';
import { FAILURE, routerFailureType } from '../domain/failures';
import { isRouterError } from '../routeros';
import { AddressPoolError } from '../store/address-pool-store';
import { LedgerKeyConflictError } from '../store/ledger-store';

/** PostgreSQL SQLSTATE classes whose errors are about the data, not the connection or the server. */
const DATA_EXCEPTION_CLASS = '22';
const INTEGRITY_CONSTRAINT_CLASS = '23';

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function nonRetryable(type: string, message: string, cause: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true, cause: cause as Error });
}

/**
 * The one classification of what an activity raised (domain/failures.ts): what retrying cannot fix
 * becomes a non-retryable ApplicationFailure with its catalogue type; the rest is returned as it is
 * and Temporal retries it. A database that refuses the data is never retried: the same value fails
 * the same way for ever.
 */
export function classifyActivityError(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (isRouterError(error) && !error.retryable) {
    const type = error.kind === 'foreign' ? FAILURE.usernameTakenOnRouter : routerFailureType(error.kind);
    return nonRetryable(type, error.message, error);
  }
  if (error instanceof AddressPoolError)
    return nonRetryable(`AddressPool.${error.reason}`, error.message, error);
  if (error instanceof LedgerKeyConflictError)
    return nonRetryable(FAILURE.creditConflict, error.message, error);
  const state = sqlState(error);
  if (state?.startsWith(DATA_EXCEPTION_CLASS)) {
    return nonRetryable(
      FAILURE.dataRejected,
      `the database refused a value: ${(error as Error).message}`,
      error,
    );
  }
  if (state?.startsWith(INTEGRITY_CONSTRAINT_CLASS)) {
    return nonRetryable(
      FAILURE.constraintViolated,
      `the database refused a row: ${(error as Error).message}`,
      error,
    );
  }
  return error;
}

type AsyncFunction = (...args: never[]) => Promise<unknown>;

/** Every activity of `activities` with its failures classified, under the same names and types. */
export function withClassifiedFailures<A extends Record<string, AsyncFunction>>(activities: A): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [
      name,
      async (...args: never[]) => {
        try {
          return await activity(...args);
        } catch (error) {
          throw classifyActivityError(error);
        }
      },
    ]),
  ) as A;
}
