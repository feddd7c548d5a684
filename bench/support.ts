import { createDatabase, dropDatabase, ensureDatabaseExists, migrateLatest } from '../infra/database';

/** What the benchmarks share: bounded concurrency, flag parsing, CPU share and the script entry. */

/** Runs `work` over `items` with at most `limit` in flight; results in the order of `items`. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  const value = nonNegativeInteger(name, text, fallback);
  if (value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

export function nonNegativeInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

/** Process CPU time over wall time: near 100% means the pass was CPU-bound in this process. */
export function cpuShare(since: NodeJS.CpuUsage, wallMs: number): string {
  const used = process.cpuUsage(since);
  return `${Math.round(((used.user + used.system) / 1000 / wallMs) * 100)}%`;
}

/** Runs a benchmark's `main` when its file is executed directly, exiting 1 on failure. */
export function runWhenExecuted(module: NodeJS.Module, main: () => Promise<unknown>): void {
  if (require.main !== module) return;
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * A migrated database of the benchmark's own on DATABASE_URL's server; `drop` closes the pool and
 * deletes the database again.
 */
export async function createBenchmarkDatabase(name: string, poolSize: number) {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/vpnflow_bench_${name}_${process.pid}`;
  await ensureDatabaseExists(url.toString());
  await migrateLatest(url.toString());
  const db = createDatabase(url.toString(), poolSize);
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      await dropDatabase(url.toString());
    },
  };
}
