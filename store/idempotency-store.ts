import type { Database } from '../infra/database';

/** What a request with an Idempotency-Key finds when it claims its key. */
export type IdempotencyClaim =
  /** This request runs; it then completes or releases the key. */
  | { status: 'claimed' }
  /** The same request ran before: its answer is returned again. */
  | { status: 'replay'; responseStatus: number; responseBody: unknown }
  /** The same request is running right now. */
  | { status: 'in-progress' }
  /** The key was used for a different request. */
  | { status: 'mismatch' };

export interface IdempotencyStore {
  claim(scope: string, key: string, requestHash: string): Promise<IdempotencyClaim>;
  complete(scope: string, key: string, responseStatus: number, responseBody: unknown): Promise<void>;
  /** Forgets a claim whose request failed on the server side, so that a retry runs again. */
  release(scope: string, key: string): Promise<void>;
}

/** A claim left unanswered this long belongs to a process that died: commands answer within 15 s. */
const ABANDONED_AFTER_SECONDS = 60;
/** Retries come within minutes; a day keeps every honest one and bounds the table. */
const KEPT_FOR_HOURS = 24;
const PURGE_EVERY_MS = 10 * 60_000;

interface IdempotencyRow {
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
}

export function createIdempotencyStore(db: Database, now: () => number = Date.now): IdempotencyStore {
  let nextPurgeAt = 0;
  const purgeIfDue = async () => {
    if (now() < nextPurgeAt) return;
    nextPurgeAt = now() + PURGE_EVERY_MS;
    await db.raw(`delete from api_idempotency where created_at < now() - make_interval(hours => ?)`, [
      KEPT_FOR_HOURS,
    ]);
  };
  return {
    async claim(scope, key, requestHash) {
      await purgeIfDue();
      // A new key is inserted; an abandoned claim of the same request is taken over in the same statement.
      const { rows: claimed } = await db.raw<{ rows: unknown[] }>(
        `insert into api_idempotency (scope, key, request_hash) values (?, ?, ?)
         on conflict (scope, key) do update set created_at = now()
          where api_idempotency.response_status is null
            and api_idempotency.request_hash = excluded.request_hash
            and api_idempotency.created_at < now() - make_interval(secs => ?)
         returning 1`,
        [scope, key, requestHash, ABANDONED_AFTER_SECONDS],
      );
      if (claimed.length > 0) return { status: 'claimed' };
      const stored: IdempotencyRow | undefined = await db('api_idempotency')
        .where({ scope, key })
        .first('request_hash', 'response_status', 'response_body');
      if (!stored) return this.claim(scope, key, requestHash);
      if (stored.request_hash !== requestHash) return { status: 'mismatch' };
      if (stored.response_status === null) return { status: 'in-progress' };
      return { status: 'replay', responseStatus: stored.response_status, responseBody: stored.response_body };
    },
    async complete(scope, key, responseStatus, responseBody) {
      await db('api_idempotency')
        .where({ scope, key })
        .update({ response_status: responseStatus, response_body: JSON.stringify(responseBody) });
    },
    async release(scope, key) {
      await db('api_idempotency').where({ scope, key }).delete();
    },
  };
}
