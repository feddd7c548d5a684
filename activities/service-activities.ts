import { log } from '@temporalio/activity';
import type { DesiredAccount } from '../domain/desired-account';
import { WORKER_METRICS } from '../domain/worker-metrics';
import { addToCounter } from './metrics';
import { parseQueueMaxLimit } from '../domain/rate-limit';
import { isTaggedForService, parseServiceIdFromComment } from '../domain/usernames';
import type { SecretBox } from '../infra/secret-box';
import type { ItemOwner, RouterDirectory, SecretSpec, StaticQueueSpec } from '../routeros';
import type { AddressPoolStore } from '../store/address-pool-store';
import type { LedgerEntryRequest, LedgerStore } from '../store/ledger-store';
import type { ServiceRecord, ServicesStore } from '../store/services-store';

export interface ServiceActivityDeps {
  services: Pick<ServicesStore, 'save'>;
  ledger: LedgerStore;
  addresses: Pick<AddressPoolStore, 'allocate'>;
  /** Clients of the routers, by id: the database's routers reached over their API. */
  routerClients: RouterDirectory;
  secretBox: SecretBox;
}

/** The items a service may change or remove: those whose comment carries its tag. */
export function ownedByService(serviceId: number): ItemOwner {
  return (comment) => isTaggedForService(comment, serviceId);
}

/** The PPP secret and static queue the router must hold for a desired account at its address. */
export function routerAccountSpecs(
  desired: DesiredAccount,
  address: string,
  password: string,
): { secret: SecretSpec; queue: StaticQueueSpec } {
  const rates = parseQueueMaxLimit(desired.queueMaxLimit);
  return {
    secret: {
      name: desired.name,
      password,
      service: desired.service,
      profile: desired.profile,
      remoteAddress: address,
      comment: desired.comment,
      disabled: desired.disabled,
    },
    queue: {
      name: desired.name,
      target: `${address}/32`,
      maxLimit: { upload: BigInt(rates.uploadBps), download: BigInt(rates.downloadBps) },
      comment: desired.comment,
    },
  };
}

export function createServiceActivities(deps: ServiceActivityDeps) {
  return {
    async saveService(record: ServiceRecord): Promise<void> {
      await deps.services.save(record);
    },

    /** The service's address on its router: the same one on every call. An empty pool needs an operator. */
    async allocateAddress(request: {
      serviceId: number;
      routerId: number;
    }): Promise<{ id: string; address: string }> {
      const allocated = await deps.addresses.allocate(request.routerId, request.serviceId);
      return { id: String(allocated.addressId), address: allocated.address };
    },

    /** The service's traffic balance now, as a decimal string. */
    async serviceBalance(request: { serviceId: number }): Promise<string> {
      return (await deps.ledger.balance(request.serviceId)).toString();
    },

    async appendLedgerEntry(entry: Omit<LedgerEntryRequest, 'deltaBytes'> & { deltaBytes: string }) {
      const result = await deps.ledger.append({ ...entry, deltaBytes: BigInt(entry.deltaBytes) });
      addToCounter(WORKER_METRICS.credits, 1, {
        kind: entry.kind,
        outcome: result.applied ? 'applied' : 'repeat',
      });
      return { applied: result.applied, balanceAfter: result.balanceAfter.toString() };
    },

    /**
     * Converges the router to the desired account — secret, static queue, disabled flag, kicks — and
     * reads both back, so a router that silently ignored a write is retried rather than trusted.
     */
    async convergeAccount(request: {
      routerId: number;
      desired: DesiredAccount;
      address: string;
      kicksDone: number;
    }): Promise<{ kicksDone: number }> {
      const { desired, address } = request;
      const client = await deps.routerClients.clientFor(request.routerId);
      const { secret, queue } = routerAccountSpecs(
        desired,
        address,
        deps.secretBox.open(desired.sealedPassword),
      );
      // The desired comment carries the service's tag: only items with that tag are this account's.
      const owner = ownedByService(parseServiceIdFromComment(desired.comment) ?? 0);
      // The queue first: a client can dial in as soon as the secret exists, and traffic before its
      // queue exists is counted nowhere (for as long as the queue's write keeps failing, too).
      await client.ensureStaticQueue(queue, owner);
      await client.ensureSecret(secret, owner);
      if (desired.disabled || desired.sessionResets > request.kicksDone)
        await client.kickSessions(desired.name);
      const [storedSecret, storedQueue] = await Promise.all([
        client.readSecret(desired.name),
        client.readStaticQueue(desired.name),
      ]);
      const secretMatches =
        storedSecret !== undefined &&
        storedSecret.disabled === secret.disabled &&
        storedSecret.remoteAddress === address &&
        storedSecret.profile === secret.profile &&
        storedSecret.service === secret.service &&
        (storedSecret.password === undefined || storedSecret.password === secret.password);
      const queueMatches =
        storedQueue !== undefined &&
        storedQueue.target.replace(/\/32$/, '') === address &&
        storedQueue.maxLimit.upload === queue.maxLimit.upload &&
        storedQueue.maxLimit.download === queue.maxLimit.download;
      if (!secretMatches || !queueMatches) {
        throw new Error(`router ${request.routerId} did not keep the account ${desired.name} as written`);
      }
      return { kicksDone: Math.max(request.kicksDone, desired.sessionResets) };
    },

    async removeAccount(request: { routerId: number; serviceId: number; username: string }): Promise<void> {
      const client = await deps.routerClients.clientFor(request.routerId);
      const owner = ownedByService(request.serviceId);
      const secret = await client.removeSecret(request.username, owner);
      const queue = await client.removeStaticQueue(request.username, owner);
      // A session under someone else's secret of the same name is theirs, not this account's.
      if (secret !== 'foreign') await client.kickSessions(request.username);
      if (secret === 'foreign' || queue === 'foreign') {
        log.warn('left items on the router that this service did not create', {
          routerId: request.routerId,
          serviceId: request.serviceId,
          secret,
          queue,
        });
      }
    },
  };
}
