import type { Database } from '../infra/database';

const UNIQUE_VIOLATION = '23505';

/** The nonces of signed WHMCS requests already received, so that no request is accepted twice. */
export interface NonceStore {
  /** 'fresh' the first time a nonce is seen, 'seen' after. */
  remember(nonce: string): Promise<'fresh' | 'seen'>;
}

/**
 * Nonces are kept twice as long as a signed request stays valid (five minutes): an older one can never
 * come back with a timestamp that is accepted, so it is dropped in the same statement.
 */
export function createNonceStore(db: Database): NonceStore {
  return {
    async remember(nonce) {
      try {
        await db.raw(
          `with purged as (delete from whmcs_request_nonces where seen_at < now() - interval '10 minutes')
           insert into whmcs_request_nonces (nonce) values (?)`,
          [nonce],
        );
        return 'fresh';
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return 'seen';
        throw error;
      }
    },
  };
}
