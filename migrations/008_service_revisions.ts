import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The service workflow numbers its saves; a save that arrives late (an activity attempt that
  // outlived its workflow task) carries a lower number and changes nothing.
  await knex.raw('alter table services add column revision bigint not null default 0 check (revision >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table services drop column revision');
}
