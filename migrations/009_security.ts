import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Replays are refused by nonce: a signature is only as unique as the request it signs.
  await knex.raw('drop table whmcs_request_nonces');
  await knex.raw(`
    create table whmcs_request_nonces (
      nonce text primary key check (nonce ~ '^[A-Za-z0-9_-]{16,64}$'),
      seen_at timestamptz not null default now()
    )`);
  await knex.raw('create index whmcs_request_nonces_seen on whmcs_request_nonces (seen_at)');
  // A router reached over the plain API sends its password in clear; in production an operator must say so.
  await knex.raw('alter table routers add column allow_plain_api boolean not null default false');
  await knex.raw('create index audit_log_time on audit_log (at desc)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index audit_log_time');
  await knex.raw('alter table routers drop column allow_plain_api');
  await knex.raw('drop table whmcs_request_nonces');
  await knex.raw(`
    create table whmcs_request_nonces (
      signature text primary key check (signature ~ '^[0-9a-f]{64}$'),
      seen_at timestamptz not null default now()
    )`);
  await knex.raw('create index whmcs_request_nonces_seen on whmcs_request_nonces (seen_at)');
}
