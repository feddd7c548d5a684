import type { Knex } from 'knex';
import { applyEntry, type LedgerEntryKind } from '../domain/ledger';
import type { Database } from '../infra/database';
import { selectIn } from './batches';

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

/** The key was written before with another amount: one invoice line cannot credit two amounts. */
export class LedgerKeyConflictError extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly recordedBytes: bigint,
    readonly requestedBytes: bigint,
  ) {
    super(`${idempotencyKey} was credited with ${recordedBytes} bytes before, not ${requestedBytes}`);
    this.name = 'LedgerKeyConflictError';
  }
}

export interface LedgerEntry {
  id: number;
  at: Date;
  kind: LedgerEntryKind;
  deltaBytes: bigint;
  balanceBeforeBytes: bigint;
  balanceAfterBytes: bigint;
  description: string;
  invoiceRef: string | null;
}

export interface LedgerStore {
  append(entry: LedgerEntryRequest): Promise<LedgerEntryResult>;
  balance(serviceId: number): Promise<bigint>;
  /** A service's entries, newest first; `beforeId` pages back. */
  entries(
    serviceId: number,
    page: { kind?: LedgerEntryKind; beforeId?: number; limit: number },
  ): Promise<LedgerEntry[]>;
}

/*
 * The ledger's rules, for single entries (append) and metering's batches alike: a service's entries
 * are written while its services row is locked (FOR UPDATE), so each entry's "before" is the previous
 * entry's "after"; and an idempotency key already in the ledger is never written again.
 */

/** Each service's balance: the "after" of its newest entry, 0 without entries. */
export async function latestBalances(
  query: Knex,
  serviceIds: readonly (string | number)[],
): Promise<Map<string, bigint>> {
  const rows = await selectIn<{ id: bigint; balance: bigint | null }>(serviceIds, (ids) =>
    query('services as s')
      .whereIn('s.id', ids)
      .select(
        's.id',
        query.raw(
          '(select l.balance_after from traffic_ledger l where l.service_id = s.id order by l.id desc limit 1) as balance',
        ),
      ),
  );
  return new Map(rows.map((row) => [String(row.id), row.balance ?? 0n]));
}

/** The keys of `keys` that the ledger already holds. */
export async function recordedKeys(query: Knex, keys: readonly string[]): Promise<Set<string>> {
  const rows = await selectIn<{ idempotency_key: string }>(keys, (chunk) =>
    query('traffic_ledger').whereIn('idempotency_key', chunk).select('idempotency_key'),
  );
  return new Set(rows.map((row) => row.idempotency_key));
}

/** The row an entry becomes on top of `balance`, and the balance after it. */
export function ledgerRow(
  entry: LedgerEntryRequest & { at?: Date },
  balance: bigint,
): { row: Record<string, unknown>; balanceAfter: bigint } {
  const change = applyEntry(balance, entry.deltaBytes);
  return {
    row: {
      service_id: entry.serviceId,
      delta_bytes: entry.deltaBytes,
      balance_before: change.before,
      balance_after: change.after,
      kind: entry.kind,
      description: entry.description,
      invoice_ref: entry.invoiceRef,
      idempotency_key: entry.idempotencyKey,
      ...(entry.at ? { at: entry.at } : {}),
    },
    balanceAfter: change.after,
  };
}

export interface LedgerPage {
  kind?: LedgerEntryKind;
  /** Every kind but this one: the credits are everything but usage. */
  exceptKind?: LedgerEntryKind;
  /** Only entries older than this id (the last of the previous page). */
  beforeId?: number;
  limit: number;
}

/** A service's ledger entries, newest first: for the admin ledger and the credits of the statistics. */
export async function readLedgerEntries(
  query: Knex,
  serviceId: number,
  page: LedgerPage,
): Promise<LedgerEntry[]> {
  const rows: {
    id: bigint;
    at: Date;
    kind: LedgerEntryKind;
    delta_bytes: bigint;
    balance_before: bigint;
    balance_after: bigint;
    description: string;
    invoice_ref: string | null;
  }[] = await query('traffic_ledger')
    .where({ service_id: serviceId })
    .modify((builder) => {
      if (page.kind) builder.where({ kind: page.kind });
      if (page.exceptKind) builder.whereNot({ kind: page.exceptKind });
      if (page.beforeId) builder.where('id', '<', page.beforeId);
    })
    .orderBy('id', 'desc')
    .limit(page.limit);
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at,
    kind: row.kind,
    deltaBytes: row.delta_bytes,
    balanceBeforeBytes: row.balance_before,
    balanceAfterBytes: row.balance_after,
    description: row.description,
    invoiceRef: row.invoice_ref,
  }));
}

export function createLedgerStore(db: Database): LedgerStore {
  const balanceOf = async (query: Knex, serviceId: number) =>
    (await latestBalances(query, [serviceId])).get(String(serviceId)) ?? 0n;
  return {
    async append(entry) {
      return db.transaction(async (trx) => {
        const service = await trx('services').where({ id: entry.serviceId }).forUpdate().first('id');
        if (!service) throw new Error(`service ${entry.serviceId} is not in the database yet`);
        const balance = await balanceOf(trx, entry.serviceId);
        const recorded: { delta_bytes: bigint } | undefined = await trx('traffic_ledger')
          .where({ idempotency_key: entry.idempotencyKey })
          .first('delta_bytes');
        if (recorded) {
          if (recorded.delta_bytes !== entry.deltaBytes) {
            throw new LedgerKeyConflictError(entry.idempotencyKey, recorded.delta_bytes, entry.deltaBytes);
          }
          return { applied: false, balanceAfter: balance };
        }
        const { row, balanceAfter } = ledgerRow(entry, balance);
        await trx('traffic_ledger').insert(row);
        return { applied: true, balanceAfter };
      });
    },
    balance: (serviceId) => balanceOf(db, serviceId),
    entries: (serviceId, page) => readLedgerEntries(db, serviceId, page),
  };
}
