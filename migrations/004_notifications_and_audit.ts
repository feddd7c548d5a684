import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table notifications (
      id bigint generated always as identity primary key,
      service_id bigint not null references services (id) on delete cascade,
      kind text not null check (length(kind) between 1 and 50),
      cycle_key text not null check (length(cycle_key) between 1 and 200),
      sent_at timestamptz,
      created_at timestamptz not null default now(),
      unique (service_id, kind, cycle_key)
    )`);
  await knex.raw(`
    create table api_idempotency (
      scope text not null,
      key text not null check (length(key) between 1 and 200),
      request_hash text not null,
      response_status integer,
      response_body jsonb,
      created_at timestamptz not null default now(),
      primary key (scope, key)
    )`);
  await knex.raw('create index api_idempotency_created on api_idempotency (created_at)');
  await knex.raw(`
    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor text not null,
      action text not null,
      target text,
      request jsonb,
      result text not null check (result in ('ok', 'queued', 'rejected', 'error')),
      detail jsonb
    )`);
  await knex.raw('create index audit_log_target_time on audit_log (target, at desc)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table audit_log');
  await knex.raw('drop table api_idempotency');
  await knex.raw('drop table notifications');
}
