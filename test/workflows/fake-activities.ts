import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities';
import type { DesiredAccount } from '../../domain/desired-account';

type ArgumentOf<Name extends keyof Activities> = Parameters<Activities[Name]>[0];

/** A PPP secret with its queue as the fake router holds it, and the sessions it has kicked. */
export interface RouterAccount extends DesiredAccount {
  address: string;
  kicks: number;
}

export interface LedgerRow {
  serviceId: number;
  kind: string;
  key: string;
  deltaBytes: bigint;
  balanceAfter: bigint;
}

/** The outside systems the fake stands in for, each of which a test can make fail. */
export type OutsideSystem = 'router' | 'ledger' | 'serviceRecords';

/** A non-retryable business failure, as the real activities raise it (domain/failures.ts). */
export function businessFailure(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * The router, the database and the mail server of the service workflow, in memory. `failing` makes one
 * of them fail for a while: with a plain Error, which Temporal retries, or with a `businessFailure`,
 * which it does not.
 */
export class FakeWorld {
  readonly accounts = new Map<string, RouterAccount>();
  readonly records = new Map<number, ArgumentOf<'saveService'>>();
  readonly ledger: LedgerRow[] = [];
  readonly notices: ArgumentOf<'notifyClient'>[] = [];
  /** Router calls per account name, failed ones included. */
  readonly routerAttempts = new Map<string, number>();
  /** Database saves per service, refused ones included. */
  readonly saveAttempts = new Map<number, number>();
  private readonly failures: Partial<Record<OutsideSystem, Error>> = {};

  balance(serviceId: number): bigint {
    return this.ledger
      .filter((row) => row.serviceId === serviceId)
      .reduce((sum, row) => sum + row.deltaBytes, 0n);
  }

  ledgerOf(serviceId: number, kind?: string): LedgerRow[] {
    return this.ledger.filter(
      (row) => row.serviceId === serviceId && (kind === undefined || row.kind === kind),
    );
  }

  /** Traffic used, as metering writes it: straight to the ledger, behind the workflow's back. */
  use(serviceId: number, bytes: bigint): void {
    this.append({
      serviceId,
      kind: 'usage',
      key: `usage:${serviceId}:${this.ledger.length}`,
      deltaBytes: -bytes,
    });
  }

  append(row: Omit<LedgerRow, 'balanceAfter'>): { applied: boolean; balanceAfter: bigint } {
    if (this.ledger.some((existing) => existing.key === row.key)) {
      return { applied: false, balanceAfter: this.balance(row.serviceId) };
    }
    const balanceAfter = this.balance(row.serviceId) + row.deltaBytes;
    this.ledger.push({ ...row, balanceAfter });
    return { applied: true, balanceAfter };
  }

  /** Runs `work` while `system` fails with `failure`, and heals it afterwards whatever happened. */
  async failing<T>(system: OutsideSystem, failure: Error, work: () => Promise<T>): Promise<T> {
    this.failures[system] = failure;
    try {
      return await work();
    } finally {
      delete this.failures[system];
    }
  }

  failIfFailing(system: OutsideSystem): void {
    const failure = this.failures[system];
    if (failure) throw failure;
  }

  touchRouter(name: string): void {
    this.routerAttempts.set(name, (this.routerAttempts.get(name) ?? 0) + 1);
    this.failIfFailing('router');
  }
}

const notInTheServiceWorkflow = async (): Promise<never> => {
  throw new Error('not an activity of the service workflow');
};

/** The worker's activities, typed as the real ones, acting on `world`. */
export function fakeActivities(world: FakeWorld): Activities {
  return {
    async saveService(record) {
      world.saveAttempts.set(record.serviceId, (world.saveAttempts.get(record.serviceId) ?? 0) + 1);
      world.failIfFailing('serviceRecords');
      const stored = world.records.get(record.serviceId);
      // A save whose revision is not above the stored one is a late duplicate, as in services-store.
      if (stored && (stored.revision ?? 0) >= (record.revision ?? 0)) return;
      world.records.set(record.serviceId, record);
    },
    async allocateAddress({ serviceId }) {
      return { id: String(serviceId), address: `10.200.0.${(serviceId % 250) + 1}` };
    },
    async serviceBalance({ serviceId }) {
      return world.balance(serviceId).toString();
    },
    async appendLedgerEntry(entry) {
      world.failIfFailing('ledger');
      const result = world.append({
        serviceId: entry.serviceId,
        kind: entry.kind,
        key: entry.idempotencyKey,
        deltaBytes: BigInt(entry.deltaBytes),
      });
      return { applied: result.applied, balanceAfter: result.balanceAfter.toString() };
    },
    async convergeAccount({ desired, address, kicksDone }) {
      world.touchRouter(desired.name);
      const kicks = world.accounts.get(desired.name)?.kicks ?? 0;
      const kick = desired.disabled || desired.sessionResets > kicksDone;
      world.accounts.set(desired.name, { ...desired, address, kicks: kick ? kicks + 1 : kicks });
      return { kicksDone: Math.max(kicksDone, desired.sessionResets) };
    },
    async recordFinalUsage({ username }) {
      world.touchRouter(username);
      return { usedBytes: '0' };
    },
    async removeAccount({ username }) {
      world.touchRouter(username);
      world.accounts.delete(username);
    },
    async notifyClient(request) {
      world.notices.push(request);
      return { status: 'sent', messageId: `<${request.kind}.${request.serviceId}@test>` };
    },
    deleteExpiredDailyUsage: notInTheServiceWorkflow,
    listMeteredRouters: notInTheServiceWorkflow,
    meterRouter: notInTheServiceWorkflow,
    recordMeteringFailure: notInTheServiceWorkflow,
    watchNearEmptyAccounts: notInTheServiceWorkflow,
  };
}
