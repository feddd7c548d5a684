import knex, { type Knex } from 'knex';
import { Client, types } from 'pg';
import { migrationSource } from '../migrations';

// PostgreSQL returns int8 as a string by default; bytes are bigint end to end. Dates stay ISO strings.
types.setTypeParser(types.builtins.INT8, (value) => BigInt(value));
types.setTypeParser(types.builtins.DATE, (value) => value);

export type Database = Knex;

export function createDatabase(url: string, poolMax = 10): Database {
  return knex({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: poolMax },
    // A database that is down should fail calls (and health checks) in seconds, not in knex's 60.
    acquireConnectionTimeout: 10_000,
    // knex logs through console by default; failed queries already reach callers as errors.
    log: { warn: () => {}, error: () => {}, debug: () => {}, deprecate: () => {} },
  });
}

const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(name))
    throw new Error(`DATABASE_URL names an unusable database: "${name}"`);
  return name;
}

async function withMaintenanceClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates the database named in the URL when it is missing; safe when several processes race. */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const name = databaseName(url);
  return withMaintenanceClient(url, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    try {
      await client.query(`create database "${name}"`);
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
      throw error;
    }
  });
}

export async function dropDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  await withMaintenanceClient(url, async (client) => {
    await client.query(`drop database if exists "${name}" with (force)`);
  });
}

// Any fixed number works; it only has to be the same for every migrator of this schema.
const MIGRATION_LOCK_KEY = 7_368_421_001;

/**
 * knex's own migration lock makes a second concurrent migrator fail instead of wait. A session-level
 * advisory lock, taken on a connection outside knex's pool, makes it wait and then find nothing to do.
 */
async function withMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const lockClient = new Client({ connectionString: url });
  await lockClient.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    await lockClient.end();
  }
}

export async function migrateLatest(url: string): Promise<string[]> {
  return withMigrationLock(url, async () => {
    const db = createDatabase(url, 2);
    try {
      const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
      return applied;
    } finally {
      await db.destroy();
    }
  });
}

/** Rolls back the last batch, or every migration when `all` is set. */
export async function migrateRollback(url: string, all = false): Promise<string[]> {
  return withMigrationLock(url, async () => {
    const db = createDatabase(url, 2);
    try {
      const [, reverted] = (await db.migrate.rollback({ migrationSource }, all)) as [number, string[]];
      return reverted;
    } finally {
      await db.destroy();
    }
  });
}

/** Succeeds when the database answers; for health checks. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.raw('select 1');
}
