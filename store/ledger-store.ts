import type { Knex } from 'knex';
import type { LedgerEntryKind } from '../domain/ledger';
import type { Database } from '../infra/database';

export interface LedgerEntryRequest {
  serviceId: number;
  kind: LedgerEntryKind;
  deltaBytes: bigint;
  idempotencyKey: string;
  description: string;
  invoiceRef: string | null;
}

export interface LedgerEntryResult {
  /** False when the key was already in the ledger: nothing was written again. */
  applied: boolean;
  balanceAfter: bigint;
}

export interface LedgerStore {
  append(entry: LedgerEntryRequest): Promise<LedgerEntryResult>;
  balance(serviceId: number): Promise<bigint>;
}

export function createLedgerStore(db: Database): LedgerStore {
  const lastBalance = async (query: Knex, serviceId: number): Promise<bigint> => {
    const last = await query('traffic_ledger')
      .where({ service_id: serviceId })
      .orderBy('id', 'desc')
      .first('balance_after');
    return (last?.balance_after as bigint | undefined) ?? 0n;
  };
  return {
    async append(entry) {
      return db.transaction(async (trx) => {
        // One writer per service at a time, so that each entry's "before" is the previous "after".
        const service = await trx('services').where({ id: entry.serviceId }).forUpdate().first('id');
        if (!service) throw new Error(`service ${entry.serviceId} is not in the database yet`);
        const existing = await trx('traffic_ledger')
          .where({ idempotency_key: entry.idempotencyKey })
          .first('balance_after');
        if (existing) return { applied: false, balanceAfter: await lastBalance(trx, entry.serviceId) };
        const before = await lastBalance(trx, entry.serviceId);
        const after = before + entry.deltaBytes;
        await trx('traffic_ledger').insert({
          service_id: entry.serviceId,
          delta_bytes: entry.deltaBytes,
          balance_before: before,
          balance_after: after,
          kind: entry.kind,
          description: entry.description,
          invoice_ref: entry.invoiceRef,
          idempotency_key: entry.idempotencyKey,
        });
        return { applied: true, balanceAfter: after };
      });
    },
    balance: (serviceId) => lastBalance(db, serviceId),
  };
}
