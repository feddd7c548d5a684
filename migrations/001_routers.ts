import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table routers (
      id bigint generated always as identity primary key,
      name text not null unique check (length(name) between 1 and 100),
      api_host text not null check (length(api_host) between 1 and 253),
      api_port integer not null check (api_port between 1 and 65535),
      api_tls boolean not null default true,
      -- SHA-256 of the router certificate (DER), hex without colons; null means "verify with a CA".
      tls_fingerprint text check (tls_fingerprint ~ '^[0-9a-f]{64}$'),
      api_user text not null check (length(api_user) between 1 and 100),
      api_password_encrypted text not null check (api_password_encrypted like 'v1:%'),
      public_hostname text not null check (length(public_hostname) between 1 and 253),
      capacity integer not null default 1000 check (capacity >= 0),
      enabled boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (tls_fingerprint is null or api_tls)
    )`);
  await knex.raw(`
    create table router_addresses (
      id bigint generated always as identity primary key,
      router_id bigint not null references routers (id) on delete restrict,
      address inet not null check (family(address) = 4 and masklen(address) = 32),
      kind text not null check (kind in ('private', 'public')),
      created_at timestamptz not null default now(),
      unique (router_id, address)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table router_addresses');
  await knex.raw('drop table routers');
}
