import type { Knex } from 'knex';

/** Signatures of signed WHMCS requests already seen, so a captured request cannot be replayed. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table whmcs_request_nonces (
      signature text primary key check (signature ~ '^[0-9a-f]{64}$'),
      seen_at timestamptz not null default now()
    )`);
  await knex.raw('create index whmcs_request_nonces_seen on whmcs_request_nonces (seen_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table whmcs_request_nonces');
}
