import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A notice is claimed before it is sent and marked sent after; the claim is a lease, so a sender
  // that died mid-send leaves a row another attempt may take over once claimed_until has passed.
  await knex.raw(`
    alter table notifications
      add column claimant text,
      add column message_id text check (length(message_id) between 3 and 998),
      add column claimed_until timestamptz,
      add constraint notifications_sent_has_message check (sent_at is null or message_id is not null)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table notifications
      drop constraint notifications_sent_has_message,
      drop column claimed_until,
      drop column message_id,
      drop column claimant`);
}
