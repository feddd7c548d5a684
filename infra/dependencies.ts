import { createActivities, type Activities } from '../activities';
import type { RouterPool } from '../routeros';
import { createAddressPoolStore } from '../store/address-pool-store';
import { createLedgerStore } from '../store/ledger-store';
import { createMeteringStore } from '../store/metering-store';
import { createRoutersStore } from '../store/routers-store';
import { createServicesStore } from '../store/services-store';
import { createUsageRetentionStore } from '../store/usage-store';
import type { Database } from './database';
import { createRouterDirectory } from './router-directory';
import type { SecretBox } from './secret-box';

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface ActivityInfrastructure {
  db: Database;
  secretBox: SecretBox;
  routerPool: RouterPool;
}

/** The production wiring of every activity dependency. */
export function createProductionActivities({
  db,
  secretBox,
  routerPool,
}: ActivityInfrastructure): Activities {
  return createActivities({
    usageRetention: createUsageRetentionStore(db),
    today: utcToday,
    services: createServicesStore(db),
    ledger: createLedgerStore(db),
    addresses: createAddressPoolStore(db),
    routers: createRouterDirectory(createRoutersStore(db, secretBox), routerPool),
    secretBox,
    metering: createMeteringStore(db),
  });
}
