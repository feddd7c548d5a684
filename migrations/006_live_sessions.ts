import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Who was online at the router's last metering pass; each pass replaces its router's rows.
  await knex.raw(`
    create table live_sessions (
      router_id bigint not null references routers (id) on delete cascade,
      service_id bigint not null references services (id) on delete cascade,
      caller_id text,
      address text,
      uptime_seconds bigint check (uptime_seconds >= 0),
      seen_at timestamptz not null
    )`);
  await knex.raw('create index live_sessions_router on live_sessions (router_id)');
  await knex.raw('create index live_sessions_service on live_sessions (service_id)');
  // The last metering pass of each router, for the admin API: ok or failing, and why.
  await knex.raw(`
    create table router_metering (
      router_id bigint primary key references routers (id) on delete cascade,
      last_attempt_at timestamptz not null,
      last_success_at timestamptz,
      last_error text,
      consecutive_failures integer not null default 0 check (consecutive_failures >= 0),
      services_metered integer not null default 0,
      bytes_metered bigint not null default 0
    )`);
  // Deleting an address checks services.address_id; the partial unique index cannot serve that check.
  await knex.raw('create index services_address on services (address_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index services_address');
  await knex.raw('drop table router_metering');
  await knex.raw('drop table live_sessions');
}
