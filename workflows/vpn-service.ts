import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  ActivityFailure,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { NoticeKind } from '../activities/mail/notice-kinds';
import { nextBoundary, cycleStart, type CycleClock } from '../domain/cycle-clock';
import { cycleGrantFor } from '../domain/cycle-grants';
import { desiredAccount } from '../domain/desired-account';
import { toInstant } from '../domain/instants';
import { ledgerKeys, isBalanceLow, isTrafficExhausted } from '../domain/ledger';
import { trafficGrantForCycle } from '../domain/traffic-grants';
import {
  applyCommand,
  createServiceState,
  type ServiceCommand,
  type ServiceState,
} from '../domain/service-state';
import { gbToBytes } from '../domain/units';
import {
  addTrafficUpdate,
  balanceChangedSignal,
  changePackageUpdate,
  changePasswordUpdate,
  createServiceUpdate,
  renewUpdate,
  resetConnectionUpdate,
  retryRouterUpdate,
  statusQuery,
  suspendUpdate,
  terminateUpdate,
  unsuspendUpdate,
  type CommandResult,
  type CreateServiceCommand,
  type ServiceView,
} from './vpn-service-messages';

/** Router calls: a few quick attempts; the workflow itself keeps retrying with the newest state. */
const routerCall = proxyActivities<Activities>({
  startToCloseTimeout: '45 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 3,
  },
});
/** Database work is retried until it succeeds: upserts and ledger keys make every retry harmless. */
const DATABASE_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} as const;
const serverScheduledDatabase = proxyActivities<Activities>(DATABASE_OPTIONS);
/**
 * Local activities: a quick database call runs in the worker within the workflow task instead of
 * costing the Temporal server a task of its own; bench/provision went from 9.7 to 13.9 services/s.
 */
const localDatabase = proxyLocalActivities<Activities>({
  ...DATABASE_OPTIONS,
  // Longer waits between attempts become workflow timers: retrying inside one open workflow task
  // through a long database outage would add events on every task heartbeat.
  localRetryThreshold: '10 seconds',
});
/**
 * Client notices ride out an SMTP outage of up to two days; the notice store keeps every retry from
 * sending a notice twice.
 */
const notices = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 days',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

/** How long a command waits for the router before it answers "queued"; WHMCS waits 15 s at most. */
const COMMAND_WAIT = '10 seconds';
const ROUTER_RETRY_START_MS = 5_000;
const ROUTER_RETRY_MAX_MS = 5 * 60_000;
/** A router that refuses the account (wrong credentials, invalid value) is retried rarely. */
const ROUTER_REFUSED_RETRY_MS = 60 * 60_000;
const APPLIED_KEYS_KEPT = 1_000;
/** Runs recorded before database work became local activities replay with server-scheduled ones. */
const LOCAL_DATABASE_WRITES_PATCH = 'local-database-writes';
const database = () => (patched(LOCAL_DATABASE_WRITES_PATCH) ? localDatabase : serverScheduledDatabase);
/** Runs recorded before balance signals were checked against the ledger replay trusting them. */
const LEDGER_BALANCE_PATCH = 'balance-from-ledger';
/** Services that ran before client notices existed replay without them (see `patched`). */
const CLIENT_NOTICES_PATCH = 'client-notices';
/** Notices already sent, as `<kind>@<cycle start>`: enough for the last few cycles of every kind. */
const NOTICES_REMEMBERED = 24;

/** Everything the workflow carries across continue-as-new: plain JSON only. */
export interface CarriedServiceState {
  service: ServiceState;
  clientEmail: string;
  clientLanguage: string;
  routerId: number;
  cycleAnchor: string;
  nextDueDate: string | null;
  nextGrantAt: string | null;
  address: { id: string; address: string } | null;
  /** Raised by every command that changes the router; the router is converged until it matches. */
  desiredVersion: number;
  appliedVersion: number;
  /** Session kicks the router has confirmed (compared with the state's sessionResets). */
  kicksDone: number;
  routerError: string | null;
  /** Idempotency keys of credits already applied, newest last (bounded). */
  appliedKeys: string[];
  /** Client notices sent, `<kind>@<cycle start>`, newest last (bounded); absent in runs from before notices. */
  noticesSent?: string[];
  /** The revision of the last save to the database; absent in runs from before revisions. */
  savedRevision?: number;
}

export interface VpnServiceInput {
  serviceId: number;
  clock?: CycleClock;
  carried?: CarriedServiceState;
}

function failureMessage(error: unknown): { message: string; retryable: boolean } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    return { message: `${cause.type ?? 'error'}: ${cause.message}`, retryable: !cause.nonRetryable };
  }
  return { message: cause instanceof Error ? cause.message : String(cause), retryable: true };
}

function rejectUnless(transition: ReturnType<typeof applyCommand>): ServiceState {
  if (!transition.ok)
    throw ApplicationFailure.create({ type: 'InvalidTransition', message: transition.message });
  return transition.state;
}

export async function vpnServiceWorkflow(input: VpnServiceInput): Promise<ServiceView> {
  const clock = input.clock ?? {};
  let state: CarriedServiceState | undefined = input.carried;

  const now = () => toInstant(Date.now());
  /** Set once the account is on the router, its first traffic granted and the database updated. */
  let provisioningSettled = input.carried !== undefined && input.carried.service.status !== 'provisioning';
  const routerDirty = () => state !== undefined && state.appliedVersion < state.desiredVersion;

  const view = (): ServiceView | null =>
    state === undefined
      ? null
      : {
          serviceId: input.serviceId,
          status: state.service.status,
          suspensionReasons: state.service.suspensionReasons,
          username: state.service.username,
          routerId: state.routerId,
          address: state.address?.address ?? null,
          billingCycle: state.service.billingCycle,
          nextGrantAt: state.nextGrantAt,
          routerPending: routerDirty(),
          routerError: state.routerError,
        };

  const requireState = (): CarriedServiceState => {
    if (!state)
      throw ApplicationFailure.create({ type: 'ServiceNotFound', message: 'service is not created yet' });
    return state;
  };

  /** Applies a command to the state; a change the router must see raises the desired version. */
  const apply = (command: ServiceCommand): number => {
    const current = requireState();
    const next = rejectUnless(applyCommand(current.service, command));
    const routerVisible =
      JSON.stringify(desiredAccount(next)) !== JSON.stringify(desiredAccount(current.service));
    current.service = next;
    if (routerVisible) current.desiredVersion += 1;
    publishSearchAttributes();
    return current.desiredVersion;
  };

  /** Answers once the router has the version, or "queued" when it has not answered in time. */
  const settle = async (version: number): Promise<CommandResult> => {
    const applied = await condition(() => (state?.appliedVersion ?? 0) >= version, COMMAND_WAIT);
    return { outcome: applied ? 'applied' : 'queued', service: view()! };
  };

  const publishSearchAttributes = () => {
    if (!state) return;
    upsertSearchAttributes({
      ServiceId: [String(input.serviceId)],
      RouterId: [String(state.routerId)],
      ServiceStatus: [state.service.status],
    });
  };

  /** Update validators refuse what the state machine refuses, before anything is written to history. */
  const validate = (command: ServiceCommand): void => {
    rejectUnless(applyCommand(requireState().service, command));
  };

  let noticesInFlight = 0;

  /**
   * Tells the client about their traffic, once per kind and billing cycle, without holding up the
   * workflow: the send runs beside it and is awaited only before the run ends.
   */
  const notifyClient = (kind: NoticeKind, balance: bigint) => {
    if (!patched(CLIENT_NOTICES_PATCH)) return;
    const current = requireState();
    const { billingCycle, product } = current.service;
    const cycleKey = cycleStart(clock, billingCycle, current.cycleAnchor, now());
    const sentKey = `${kind}@${cycleKey}`;
    const sent = current.noticesSent ?? [];
    if (sent.includes(sentKey)) return;
    current.noticesSent = [...sent, sentKey].slice(-NOTICES_REMEMBERED);
    noticesInFlight += 1;
    void notices
      .notifyClient({
        serviceId: input.serviceId,
        routerId: current.routerId,
        kind,
        cycleKey,
        to: current.clientEmail,
        language: current.clientLanguage,
        username: current.service.username,
        remainingBytes: balance.toString(),
        thresholdBytes: gbToBytes(product.lowBalanceThresholdGb).toString(),
        cycleEndsAt: nextBoundary(clock, billingCycle, current.cycleAnchor, now()),
      })
      .catch((error: unknown) =>
        log.warn('client notice not sent', { kind, cycleKey, error: failureMessage(error).message }),
      )
      .finally(() => {
        noticesInFlight -= 1;
      });
  };
  const noticesSettled = () => noticesInFlight === 0;

  /**
   * Limits the account when its traffic has run out and restores it when traffic is back, and tells
   * the client when that changes their access or the balance runs low.
   */
  const enforceBalance = (balance: bigint) => {
    const current = requireState();
    const { product, billingCycle, suspensionReasons } = current.service;
    const grant = trafficGrantForCycle(product, billingCycle);
    const wasActive = current.service.status === 'active';
    if (isTrafficExhausted(balance, grant)) {
      if (suspensionReasons.includes('traffic')) return;
      apply({ type: 'suspend', reason: 'traffic' });
      if (wasActive) notifyClient('traffic-exhausted', balance);
      return;
    }
    if (suspensionReasons.includes('traffic')) {
      apply({ type: 'unsuspend', reason: 'traffic' });
      if (current.service.status === 'active') notifyClient('traffic-restored', balance);
    }
    const threshold = gbToBytes(product.lowBalanceThresholdGb);
    if (current.service.status === 'active' && isBalanceLow(balance, threshold, grant)) {
      notifyClient('low-balance', balance);
    }
  };

  const grantCycleAt = async (at: string) => {
    const current = requireState();
    const start = cycleStart(clock, current.service.billingCycle, current.cycleAnchor, at);
    const grant = cycleGrantFor(current.service, start);
    if (grant === null) return;
    const result = await database().appendLedgerEntry({
      serviceId: input.serviceId,
      kind: 'cycle_grant',
      deltaBytes: grant.bytes.toString(),
      idempotencyKey: grant.key,
      description: `Traffic for the cycle from ${start}`,
      invoiceRef: null,
    });
    enforceBalance(BigInt(result.balanceAfter));
  };

  setHandler(statusQuery, view);

  setHandler(
    createServiceUpdate,
    async (command: CreateServiceCommand): Promise<CommandResult> => {
      if (!state) {
        const service = rejectUnless(
          createServiceState({
            serviceId: command.serviceId,
            clientId: command.clientId,
            whmcsUsername: command.whmcsUsername,
            sealedPassword: command.passwordSealed,
            product: command.product,
            billingCycle: command.billingCycle,
          }),
        );
        state = {
          service,
          clientEmail: command.clientEmail,
          clientLanguage: command.clientLanguage,
          routerId: command.routerId,
          cycleAnchor: command.cycleAnchor,
          nextDueDate: command.nextDueDate,
          nextGrantAt: null,
          address: null,
          desiredVersion: 1,
          appliedVersion: 0,
          kicksDone: 0,
          routerError: null,
          appliedKeys: [],
        };
        publishSearchAttributes();
      }
      const provisioned = await condition(() => provisioningSettled, COMMAND_WAIT);
      return { outcome: provisioned && !routerDirty() ? 'applied' : 'queued', service: view()! };
    },
    {
      validator: (command: CreateServiceCommand) => {
        if (command.serviceId !== input.serviceId) {
          throw new Error(
            `service id ${command.serviceId} does not belong to workflow of ${input.serviceId}`,
          );
        }
        if (state && (state.service.clientId !== command.clientId || state.routerId !== command.routerId)) {
          throw new Error('service already exists for another client or router');
        }
      },
    },
  );

  setHandler(suspendUpdate, async ({ reason }) => settle(apply({ type: 'suspend', reason })), {
    validator: ({ reason }) => validate({ type: 'suspend', reason }),
  });

  setHandler(
    unsuspendUpdate,
    async ({ reason }) => {
      const version = apply({ type: 'unsuspend', reason });
      // On unsuspend for billing the current cycle is granted once; cycles missed are not (docs/billing-cycles.md).
      if (reason === 'billing') await grantCycleAt(now());
      return settle(Math.max(version, requireState().desiredVersion));
    },
    { validator: ({ reason }) => validate({ type: 'unsuspend', reason }) },
  );

  setHandler(terminateUpdate, async () => settle(apply({ type: 'terminate' })), {
    validator: () => validate({ type: 'terminate' }),
  });

  setHandler(
    changePasswordUpdate,
    async ({ passwordSealed }) => {
      const current = requireState();
      const next = rejectUnless(
        applyCommand(current.service, { type: 'changePassword', sealedPassword: passwordSealed }),
      );
      // The old password must stop working at once, so the live session is kicked too.
      current.service = { ...next, sessionResets: next.sessionResets + 1 };
      current.desiredVersion += 1;
      return settle(current.desiredVersion);
    },
    {
      validator: ({ passwordSealed }) => validate({ type: 'changePassword', sealedPassword: passwordSealed }),
    },
  );

  setHandler(
    changePackageUpdate,
    async ({ product, billingCycle }) => settle(apply({ type: 'changePackage', product, billingCycle })),
    {
      validator: ({ product, billingCycle }) => validate({ type: 'changePackage', product, billingCycle }),
    },
  );

  /** Raised by retryRouter: ends the wait after a failed router attempt early. */
  let routerRetries = 0;
  setHandler(
    retryRouterUpdate,
    async (): Promise<CommandResult> => {
      routerRetries += 1;
      const version = requireState().desiredVersion;
      // A service that was still provisioning answers "applied" once it is fully up.
      const done = await condition(
        () => provisioningSettled && (state?.appliedVersion ?? 0) >= version,
        COMMAND_WAIT,
      );
      return { outcome: done ? 'applied' : 'queued', service: view()! };
    },
    { validator: () => void requireState() },
  );

  setHandler(resetConnectionUpdate, async () => settle(apply({ type: 'resetConnection' })), {
    validator: () => validate({ type: 'resetConnection' }),
  });

  setHandler(
    renewUpdate,
    async ({ nextDueDate }): Promise<CommandResult> => {
      requireState().nextDueDate = nextDueDate;
      await database().saveService(serviceRecord());
      return { outcome: 'applied', service: view()! };
    },
    { validator: (_renewal) => void requireState() },
  );

  setHandler(
    addTrafficUpdate,
    async ({ invoiceId, gb, description }) => {
      const current = requireState();
      const key = ledgerKeys.addon(input.serviceId, invoiceId);
      const result = await database().appendLedgerEntry({
        serviceId: input.serviceId,
        kind: 'addon',
        deltaBytes: gbToBytes(gb).toString(),
        idempotencyKey: key,
        description,
        invoiceRef: invoiceId,
      });
      if (!current.appliedKeys.includes(key)) {
        current.appliedKeys = [...current.appliedKeys, key].slice(-APPLIED_KEYS_KEPT);
      }
      enforceBalance(BigInt(result.balanceAfter));
      const settled = await settle(current.desiredVersion);
      return { ...settled, credited: result.applied, balanceBytes: result.balanceAfter };
    },
    {
      validator: ({ invoiceId, gb }) => {
        validate({ type: 'addTraffic', bytes: gbToBytes(gb) });
        ledgerKeys.addon(input.serviceId, invoiceId);
      },
    },
  );

  /**
   * Set by a balance signal. Metering reads a balance, writes usage and signals; a grant or an addon
   * may land in between, so the signal only says "look again" and the ledger gives the balance.
   */
  let balanceCheckPending = false;
  setHandler(balanceChangedSignal, ({ balanceBytes }) => {
    if (!state || state.service.status === 'terminated') return;
    if (patched(LEDGER_BALANCE_PATCH)) balanceCheckPending = true;
    else enforceBalance(BigInt(balanceBytes));
  });

  const checkBalance = async () => {
    balanceCheckPending = false;
    const balance = await database().serviceBalance({ serviceId: input.serviceId });
    if (requireState().service.status !== 'terminated') enforceBalance(BigInt(balance));
  };

  /**
   * The database copy of the service under a new revision. Workflow time makes revisions rise even
   * across a reset of the workflow to an earlier point, when the counter alone would fall back.
   */
  const serviceRecord = () => {
    const current = requireState();
    current.savedRevision = Math.max((current.savedRevision ?? 0) + 1, Date.now());
    return {
      revision: current.savedRevision,
      serviceId: input.serviceId,
      clientId: current.service.clientId,
      clientEmail: current.clientEmail,
      clientLanguage: current.clientLanguage,
      product: current.service.product,
      routerId: current.routerId,
      username: current.service.username,
      passwordSealed: current.service.sealedPassword,
      addressId: current.address?.id ?? null,
      status: current.service.status,
      suspensionReasons: current.service.suspensionReasons,
      billingCycle: current.service.billingCycle,
      nextDueDate: current.nextDueDate,
    };
  };

  /** Makes the router match the newest desired state; an older state never overwrites a newer one. */
  const convergeRouter = async () => {
    let retryMs = ROUTER_RETRY_START_MS;
    while (routerDirty()) {
      const current = requireState();
      const version = current.desiredVersion;
      const desired = desiredAccount(current.service);
      try {
        if (desired.present) {
          await database().saveService(serviceRecord());
          current.address ??= await database().allocateAddress({
            serviceId: input.serviceId,
            routerId: current.routerId,
          });
          const { kicksDone } = await routerCall.convergeAccount({
            routerId: current.routerId,
            desired,
            address: current.address!.address,
            kicksDone: current.kicksDone,
          });
          current.kicksDone = kicksDone;
        } else {
          // The database frees the address only after the router no longer uses it.
          await routerCall.removeAccount({
            routerId: current.routerId,
            serviceId: input.serviceId,
            username: desired.name,
          });
          await database().saveService(serviceRecord());
        }
        current.appliedVersion = version;
        current.routerError = null;
        retryMs = ROUTER_RETRY_START_MS;
      } catch (error) {
        const failure = failureMessage(error);
        current.routerError = failure.message;
        const waitMs = failure.retryable ? retryMs : ROUTER_REFUSED_RETRY_MS;
        const retriesBefore = routerRetries;
        await condition(
          () => requireState().desiredVersion !== version || routerRetries !== retriesBefore,
          waitMs,
        );
        retryMs = Math.min(retryMs * 2, ROUTER_RETRY_MAX_MS);
      }
    }
  };

  await condition(() => state !== undefined);
  let current = requireState();

  if (current.service.status === 'provisioning') {
    await convergeRouter();
    if (current.service.status === 'provisioning') {
      // The first grant is written before the service counts as active, so a create that answers
      // "applied" has its traffic already.
      await grantCycleAt(now());
      current.service = rejectUnless(applyCommand(current.service, { type: 'provisioned' }));
      publishSearchAttributes();
      await database().saveService(serviceRecord());
      current.nextGrantAt = nextBoundary(clock, current.service.billingCycle, current.cycleAnchor, now());
    }
  }
  provisioningSettled = true;

  for (;;) {
    current = requireState();
    if (current.service.status === 'terminated' && !routerDirty()) {
      await condition(() => allHandlersFinished() && noticesSettled());
      await database().saveService(serviceRecord());
      return view()!;
    }
    const dueInMs =
      current.nextGrantAt === null ? undefined : Math.max(0, Date.parse(current.nextGrantAt) - Date.now());
    const wake = () => routerDirty() || balanceCheckPending || workflowInfo().continueAsNewSuggested;
    const woken = dueInMs === undefined ? (await condition(wake), true) : await condition(wake, dueInMs);
    if (balanceCheckPending) {
      await checkBalance();
      continue;
    }
    if (routerDirty()) {
      await convergeRouter();
      continue;
    }
    if (!woken && current.nextGrantAt !== null && Date.now() >= Date.parse(current.nextGrantAt)) {
      await grantCycleAt(current.nextGrantAt);
      current.nextGrantAt = nextBoundary(
        clock,
        current.service.billingCycle,
        current.cycleAnchor,
        current.nextGrantAt,
      );
      if (routerDirty()) await convergeRouter();
    }
    if (!woken || workflowInfo().continueAsNewSuggested) {
      // A notice still being retried (SMTP down) holds up continue-as-new, never a router change.
      await condition(
        () => routerDirty() || balanceCheckPending || (allHandlersFinished() && noticesSettled()),
      );
      if (routerDirty() || balanceCheckPending) continue;
      return continueAsNew<typeof vpnServiceWorkflow>({
        serviceId: input.serviceId,
        clock,
        carried: requireState(),
      });
    }
  }
}
