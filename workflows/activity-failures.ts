import { ActivityFailure, ApplicationFailure, log } from '@temporalio/workflow';
import { isDataFailure } from '../domain/failures';

/** What the activity raised, without Temporal's ActivityFailure around it. */
function activityCause(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause ? error.cause : error;
}

/** The failure type from domain/failures.ts, when the activity raised a business failure. */
export function failureType(error: unknown): string | undefined {
  const cause = activityCause(error);
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

/** `<type>: <message>` for people: a service's router error, a metering pass's failed routers. */
export function failureText(error: unknown): string {
  const cause = activityCause(error);
  if (cause instanceof ApplicationFailure && cause.type) return `${cause.type}: ${cause.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}

/** The database's refusal of a write (see isDataFailure), or undefined for any other failure. */
function dataFailure(error: unknown): ApplicationFailure | undefined {
  const cause = activityCause(error);
  return cause instanceof ApplicationFailure && isDataFailure(cause.type ?? undefined) ? cause : undefined;
}

/** An update fails with the database's own failure, type and message, so the caller can tell why. */
export function updateFailure(error: unknown): unknown {
  return dataFailure(error) ?? error;
}

/**
 * Database work that must not end a workflow that lives for years: a write the database refuses is
 * logged and skipped, and a later write of the same record tries again.
 */
export async function unlessRefused(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const refusal = dataFailure(error);
    if (refusal === undefined) throw error;
    log.warn(`${what} refused by the database; skipped`, { type: refusal.type, error: refusal.message });
  }
}
