import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table traffic_ledger (
      id bigint generated always as identity primary key,
      service_id bigint not null references services (id) on delete cascade,
      at timestamptz not null default now(),
      delta_bytes bigint not null,
      balance_before bigint not null,
      balance_after bigint not null,
      kind text not null check (kind in ('cycle_grant', 'addon', 'usage', 'adjustment')),
      description text not null default '',
      invoice_ref text,
      idempotency_key text not null unique,
      check (balance_after = balance_before + delta_bytes),
      check (kind <> 'addon' or invoice_ref is not null)
    )`);
  await knex.raw('create index traffic_ledger_service_time on traffic_ledger (service_id, id desc)');
  await knex.raw(`
    create table daily_usage (
      service_id bigint not null references services (id) on delete cascade,
      day date not null,
      download_bytes bigint not null default 0 check (download_bytes >= 0),
      upload_bytes bigint not null default 0 check (upload_bytes >= 0),
      primary key (service_id, day)
    )`);
  await knex.raw(`
    create table meter_state (
      router_id bigint not null references routers (id) on delete cascade,
      service_id bigint not null references services (id) on delete cascade,
      -- Last readings of the account's static queue, from the client's point of view.
      download_counter bigint not null check (download_counter >= 0),
      upload_counter bigint not null check (upload_counter >= 0),
      router_uptime_seconds bigint not null check (router_uptime_seconds >= 0),
      read_at timestamptz not null,
      primary key (router_id, service_id)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table meter_state');
  await knex.raw('drop table daily_usage');
  await knex.raw('drop table traffic_ledger');
}
