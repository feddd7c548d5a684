import type { Knex } from 'knex';

/** Rows per multi-row statement, well under PostgreSQL's 65,535 bind parameters. */
const ROWS_PER_STATEMENT = 2_000;

export function chunks<T>(rows: readonly T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    result.push(rows.slice(start, start + ROWS_PER_STATEMENT));
  }
  return result;
}

export async function insertAll(
  trx: Knex.Transaction,
  table: string,
  rows: readonly Record<string, unknown>[],
  conflict?: (insert: Knex.QueryBuilder) => Knex.QueryBuilder,
): Promise<void> {
  for (const chunk of chunks(rows)) {
    const insert = trx(table).insert(chunk);
    await (conflict ? conflict(insert) : insert);
  }
}

export async function selectIn<R>(
  values: readonly (string | number)[],
  query: (chunk: readonly (string | number)[]) => Knex.QueryBuilder,
): Promise<R[]> {
  const rows: R[] = [];
  for (const chunk of chunks(values)) rows.push(...((await query(chunk)) as R[]));
  return rows;
}
