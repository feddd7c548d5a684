import { createActivities, type Activities } from '../activities';
import { createMailActivities, type MailActivityDeps } from '../notices';
import type { RouterConnections } from '../routeros';
import { createAddressPoolStore } from '../store/address-pool-store';
import { createLedgerStore } from '../store/ledger-store';
import { createMeteringStore } from '../store/metering-store';
import { createNoticeStore } from '../store/notice-store';
import { createRoutersStore } from '../store/routers-store';
import { createServicesStore } from '../store/services-store';
import { createUsageRetentionStore } from '../store/usage-store';
import type { Database } from '../infra/database';
import { createRouterDirectory } from '../infra/router-directory';
import type { SecretBox } from '../infra/secret-box';

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface ActivityInfrastructure {
  db: Database;
  secretBox: SecretBox;
  routerConnections: RouterConnections;
  mail: Omit<MailActivityDeps, 'store'>;
}

/** The worker's wiring of every activity dependency: the real stores, routers and mail. */
export function createProductionActivities({
  db,
  secretBox,
  routerConnections,
  mail,
}: ActivityInfrastructure): Activities {
  const routers = createRoutersStore(db, secretBox);
  return createActivities({
    usageRetention: createUsageRetentionStore(db),
    today: utcToday,
    services: createServicesStore(db),
    ledger: createLedgerStore(db),
    addresses: createAddressPoolStore(db),
    routerClients: createRouterDirectory(routers, routerConnections),
    secretBox,
    metering: createMeteringStore(db),
    mail: createMailActivities({ ...mail, store: createNoticeStore(db) }),
    serverHostnameOf: async (routerId) => (await routers.get(routerId))?.publicHostname,
  });
}
