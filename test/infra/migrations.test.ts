import { randomUUID } from 'node:crypto';
import {
  createDatabase,
  dropDatabase,
  ensureDatabaseExists,
  migrateLatest,
  migrateRollback,
} from '../../infra/database';
import { migrationSource } from '../../migrations';
import { testDatabaseUrl } from '../helpers/stack';

const DOMAIN_TABLES = [
  'api_idempotency',
  'audit_log',
  'daily_usage',
  'live_sessions',
  'meter_state',
  'notifications',
  'router_addresses',
  'router_metering',
  'routers',
  'services',
  'traffic_ledger',
  'whmcs_request_nonces',
];

async function schemaOf(url: string) {
  const db = createDatabase(url, 1);
  try {
    const { rows } = await db.raw(
      `select c.relname as table_name,
              (select string_agg(conname || ':' || pg_get_constraintdef(k.oid), ' | ' order by conname)
                 from pg_constraint k where k.conrelid = c.oid) as constraints,
              (select string_agg(indexdef, ' | ' order by indexname)
                 from pg_indexes i where i.tablename = c.relname and i.schemaname = 'public') as indexes
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and c.relname not like 'knex_%'
        order by c.relname`,
    );
    return rows as { table_name: string; constraints: string; indexes: string }[];
  } finally {
    await db.destroy();
  }
}

describe('migrations on real PostgreSQL', () => {
  const urls: string[] = [];
  const freshDatabase = async () => {
    const url = testDatabaseUrl(`vpnflow_migrate_${randomUUID().replace(/-/g, '')}`);
    urls.push(url);
    expect(await ensureDatabaseExists(url)).toBe(true);
    expect(await ensureDatabaseExists(url)).toBe(false);
    return url;
  };

  afterAll(async () => {
    await Promise.all(urls.map((url) => dropDatabase(url)));
  });

  it('runs up from empty, down to empty, and up again to the same schema', async () => {
    const url = await freshDatabase();
    const all = await migrationSource.getMigrations([]);
    expect(await migrateLatest(url)).toEqual(all);
    const first = await schemaOf(url);
    expect(first.map((table) => table.table_name)).toEqual(DOMAIN_TABLES);

    expect(await migrateRollback(url, true)).toEqual([...all].reverse());
    expect(await schemaOf(url)).toEqual([]);

    expect(await migrateLatest(url)).toEqual(all);
    expect(await schemaOf(url)).toEqual(first);
    expect(await migrateLatest(url)).toEqual([]);
  });

  it('leaves one correct schema when two migrators start at once', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([migrateLatest(url), migrateLatest(url), migrateLatest(url)]);
    const all = await migrationSource.getMigrations([]);
    expect(results.filter((applied) => applied.length > 0)).toEqual([all]);
    expect(results.flat()).toHaveLength(all.length);
    const db = createDatabase(url, 1);
    try {
      const { rows } = await db.raw('select name from knex_migrations order by id');
      expect(rows.map((row: { name: string }) => row.name)).toEqual(all);
    } finally {
      await db.destroy();
    }
    expect((await schemaOf(url)).map((table) => table.table_name)).toEqual(DOMAIN_TABLES);
  });
});
