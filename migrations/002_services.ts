import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table services (
      -- The WHMCS service (tblhosting) id: one workflow and one row per WHMCS service.
      id bigint primary key check (id > 0),
      whmcs_client_id bigint not null check (whmcs_client_id > 0),
      client_email text not null check (client_email like '%_@_%'),
      client_language text not null default 'english',
      product jsonb not null check (jsonb_typeof(product) = 'object'),
      router_id bigint not null references routers (id) on delete restrict,
      username text not null check (username ~ '^[A-Za-z0-9._@-]{1,64}$'),
      password_encrypted text not null check (password_encrypted like 'v1:%'),
      address_id bigint references router_addresses (id) on delete restrict,
      status text not null default 'provisioning'
        check (status in ('provisioning', 'active', 'suspended', 'terminated')),
      suspension_reasons text[] not null default '{}'
        check (suspension_reasons <@ array['admin', 'billing', 'traffic']::text[]),
      billing_cycle text not null check (billing_cycle in
        ('monthly', 'quarterly', 'semiannually', 'annually', 'biennially', 'triennially', 'onetime', 'free')),
      next_due_date date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      terminated_at timestamptz,
      check ((status = 'suspended') = (cardinality(suspension_reasons) > 0)),
      check ((status = 'terminated') = (terminated_at is not null))
    )`);
  // An address and a username belong to at most one live service; a terminated service keeps its
  // history but frees both.
  await knex.raw(`create unique index services_live_address on services (address_id)
    where status <> 'terminated' and address_id is not null`);
  await knex.raw(`create unique index services_live_username on services (router_id, username)
    where status <> 'terminated'`);
  await knex.raw('create index services_whmcs_client on services (whmcs_client_id)');
  await knex.raw('create index services_router_status on services (router_id, status)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table services');
}
