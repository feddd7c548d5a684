import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The protocol a live session uses (l2tp, sstp, ...), as /ppp/active prints it: the panels show it.
  await knex.raw('alter table live_sessions add column service text');
  // A router taken out of service keeps its row for the history of the services it carried; its
  // name is free for a new router.
  await knex.raw('alter table routers add column retired_at timestamptz');
  await knex.raw('alter table routers drop constraint routers_name_key');
  await knex.raw('create unique index routers_name_key on routers (name) where retired_at is null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index routers_name_key');
  await knex.raw('delete from routers where retired_at is not null');
  await knex.raw('alter table routers add constraint routers_name_key unique (name)');
  await knex.raw('alter table routers drop column retired_at');
  await knex.raw('alter table live_sessions drop column service');
}
