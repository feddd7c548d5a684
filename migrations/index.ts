import type { Knex } from 'knex';
import * as routers from './001_routers';
import * as services from './002_services';
import * as accounting from './003_accounting';
import * as notificationsAndAudit from './004_notifications_and_audit';
import * as whmcsRequestNonces from './005_whmcs_request_nonces';
import * as liveSessions from './006_live_sessions';
import * as noticeClaims from './007_notice_claims';
import * as serviceRevisions from './008_service_revisions';
import * as security from './009_security';
import * as liveProtocolAndRetiredRouters from './010_live_protocol_and_retired_routers';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are imported statically rather than discovered on disk, so the same list runs under
 * tsx, Jest and the compiled build. Names are permanent: knex records them in knex_migrations.
 */
const migrations: ReadonlyArray<[name: string, migration: Migration]> = [
  ['001_routers', routers],
  ['002_services', services],
  ['003_accounting', accounting],
  ['004_notifications_and_audit', notificationsAndAudit],
  ['005_whmcs_request_nonces', whmcsRequestNonces],
  ['006_live_sessions', liveSessions],
  ['007_notice_claims', noticeClaims],
  ['008_service_revisions', serviceRevisions],
  ['009_security', security],
  ['010_live_protocol_and_retired_routers', liveProtocolAndRetiredRouters],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => migrations.map(([name]) => name),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const found = migrations.find(([candidate]) => candidate === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    return found[1];
  },
};
