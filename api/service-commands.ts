import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import type { BillingCycle } from '../domain/billing-cycles';
import type { CycleClock } from '../domain/cycle-clock';
import type { ProductSettings } from '../domain/product-settings';
import type { SuspensionReason } from '../domain/service-state';
import { serviceWorkflowId } from '../domain/workflow-ids';
import { fallbackNameProblem, pppUsername } from '../domain/usernames';
import type { SecretBox } from '../infra/secret-box';
import type { RouterDirectory } from '../routeros';
import type { RoutersStore } from '../store/routers-store';
import type { ServicesStore } from '../store/services-store';
import { vpnServiceWorkflow } from '../workflows';
import { serviceSearchAttributes } from '../workflows/search-attributes';
import {
  addTrafficUpdate,
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
  type AddTrafficCommand,
  type AddTrafficResult,
  type CommandResult,
  type CreateServiceCommand,
  type ServiceView,
} from '../workflows/vpn-service/messages';
import { HttpError } from './errors';
import { httpErrorOf } from './failure-status';
import { routerNameHolder } from './router-name-check';
import { GRPC_DEADLINE_EXCEEDED, grpcCodeOf } from './unavailable';

/** WHMCS waits about 15 s for a module call; the workflow answers "queued" after 10 s. */
const COMMAND_DEADLINE_MS = 14_000;
/** A status query answers in milliseconds when the worker has it; one not answered in this is asked again. */
const QUERY_ATTEMPT_MS = 4_000;
const MIN_QUERY_ATTEMPT_MS = 1_000;
/** The 503 code of a command or query the service's workflow did not answer in time. */
const WORKER_UNAVAILABLE = 'worker_unavailable';

/** A create as the API takes it: the plain password is sealed here, before anything keeps it. */
export interface NewServiceRequest {
  serviceId: number;
  clientId: number;
  clientEmail: string;
  clientLanguage: string;
  routerId: number;
  /** WHMCS's username; `vpn<serviceId>` when absent or not valid on a router. */
  username: string | null;
  password: string;
  product: ProductSettings;
  billingCycle: BillingCycle;
  cycleAnchor: string;
  nextDueDate: string | null;
}

const notFound = () => new HttpError(404, 'service_not_found', 'No such service');

/**
 * The one place that starts and updates service workflows and turns their outcomes into the API's
 * answers: an unknown service is 404, a business failure its catalogued status, a worker that does
 * not answer in time 503. The WHMCS and admin routes both go through it.
 */
export class ServiceCommands {
  constructor(
    private readonly deps: {
      temporal: Client;
      taskQueue: string;
      cycleClock: CycleClock;
      services: ServicesStore;
      routers: RoutersStore;
      /** Live router access, for the name check before a create. */
      routerClients: RouterDirectory;
      secretBox: SecretBox;
    },
  ) {}

  /**
   * Creates a service: the name is checked on the router and reserved in the database before anything
   * is written, then the service's workflow starts with its create (or the running one receives it).
   */
  async create(request: NewServiceRequest): Promise<CommandResult> {
    const router = await this.deps.routers.get(request.routerId);
    if (!router || !router.enabled) {
      throw new HttpError(422, 'unknown_router', `Router ${request.routerId} does not exist or is disabled`);
    }
    const username = pppUsername(request.username, request.serviceId);
    const fallbackProblem = fallbackNameProblem(username, request.serviceId);
    if (fallbackProblem) throw new HttpError(409, 'username_reserved', fallbackProblem);
    const nameClash = { routerId: router.id, routerName: router.name, username };
    const holder = await routerNameHolder(this.deps.routerClients, router.id, username, request.serviceId);
    if (holder === 'someone-else') {
      const message = `The name "${username}" is already used on router ${router.name} by an account vpnflow did not create`;
      throw new HttpError(409, 'username_taken_on_router', message, nameClash);
    }
    const passwordSealed = this.deps.secretBox.seal(request.password);
    const reservation = await this.deps.services.reserve({ ...request, username, passwordSealed });
    if (reservation === 'username-taken') {
      const message = `The name "${username}" is used by another service on router ${router.name}`;
      throw new HttpError(409, 'username_taken', message, nameClash);
    }
    const command: CreateServiceCommand = {
      serviceId: request.serviceId,
      clientId: request.clientId,
      clientEmail: request.clientEmail,
      clientLanguage: request.clientLanguage,
      routerId: request.routerId,
      whmcsUsername: username,
      passwordSealed,
      product: request.product,
      billingCycle: request.billingCycle,
      cycleAnchor: request.cycleAnchor,
      nextDueDate: request.nextDueDate,
    };
    return this.run(() =>
      this.deps.temporal.workflow.executeUpdateWithStart(createServiceUpdate, {
        args: [command],
        startWorkflowOperation: new WithStartWorkflowOperation(vpnServiceWorkflow, {
          workflowId: serviceWorkflowId(command.serviceId),
          taskQueue: this.deps.taskQueue,
          args: [{ serviceId: command.serviceId, clock: this.deps.cycleClock }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          // Set at start, so the workflow need not upsert them in its first task.
          typedSearchAttributes: serviceSearchAttributes({ ...command, status: 'provisioning' }),
        }),
      }),
    );
  }

  /**
   * The workflow's view, asked again when a query goes unanswered: Temporal can drop a query that
   * reaches a worker while the run's next task is buffered (rare, under many queries and updates to
   * one service at once), and the client would otherwise wait out the whole deadline for it.
   */
  async status(serviceId: number, deadlineMs = COMMAND_DEADLINE_MS): Promise<ServiceView> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const attemptMs = Math.min(QUERY_ATTEMPT_MS, deadline - Date.now());
      try {
        const view = await this.run(() => this.handle(serviceId).query(statusQuery), attemptMs);
        if (!view) throw notFound();
        return view;
      } catch (error) {
        const unanswered = error instanceof HttpError && error.code === WORKER_UNAVAILABLE;
        if (!unanswered || deadline - Date.now() < MIN_QUERY_ATTEMPT_MS) throw error;
      }
    }
  }

  suspend(serviceId: number, reason: SuspensionReason) {
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(suspendUpdate, { args: [{ reason }] }),
    );
  }

  unsuspend(serviceId: number, reason: SuspensionReason) {
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(unsuspendUpdate, { args: [{ reason }] }),
    );
  }

  /** Idempotent: a service terminated before (its workflow ended) answers as terminated again. */
  terminate(serviceId: number): Promise<CommandResult> {
    return this.update(
      serviceId,
      () => this.handle(serviceId).executeUpdate(terminateUpdate, { args: [] }),
      (service) => ({ outcome: 'applied', service }),
    );
  }

  /** The plain password is sealed here: only the router activity ever opens it again. */
  changePassword(serviceId: number, password: string) {
    const passwordSealed = this.deps.secretBox.seal(password);
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(changePasswordUpdate, { args: [{ passwordSealed }] }),
    );
  }

  changePackage(serviceId: number, product: ProductSettings, billingCycle: BillingCycle) {
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(changePackageUpdate, { args: [{ product, billingCycle }] }),
    );
  }

  renew(serviceId: number, nextDueDate: string) {
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(renewUpdate, { args: [{ nextDueDate }] }),
    );
  }

  resetConnection(serviceId: number) {
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(resetConnectionUpdate, { args: [] }),
    );
  }

  retryRouter(serviceId: number) {
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(retryRouterUpdate, { args: [] }),
    );
  }

  /**
   * Credits paid traffic once per invoice line: the ledger's key decides, so a repeat answers
   * `credited: false` and the same line with another amount fails with credit_conflict.
   */
  addTraffic(serviceId: number, command: AddTrafficCommand): Promise<AddTrafficResult> {
    return this.update(serviceId, () =>
      this.handle(serviceId).executeUpdate(addTrafficUpdate, { args: [command] }),
    );
  }

  private handle(serviceId: number) {
    return this.deps.temporal.workflow.getHandle(serviceWorkflowId(serviceId));
  }

  /**
   * An update of the service's workflow. Once terminated the workflow ends, and a later command finds
   * none: `whenTerminated` answers it from the database, by default refusing it as terminated.
   */
  private async update<T>(
    serviceId: number,
    work: () => Promise<T>,
    whenTerminated: (service: ServiceView) => T = () => {
      throw new HttpError(409, 'invalid_transition', 'service is terminated');
    },
  ): Promise<T> {
    try {
      return await this.run(work);
    } catch (error) {
      const ended =
        error instanceof HttpError && error.code === 'service_not_found' && (await this.endedView(serviceId));
      if (ended) return whenTerminated(ended);
      throw error;
    }
  }

  /** The database's view of a service whose workflow has ended (it ends only once terminated). */
  private async endedView(serviceId: number): Promise<ServiceView | undefined> {
    const stored = await this.deps.services.find(serviceId);
    if (!stored || stored.status !== 'terminated') return undefined;
    return {
      serviceId,
      status: 'terminated',
      suspensionReasons: [],
      username: stored.username,
      routerId: stored.routerId,
      address: null,
      billingCycle: stored.billingCycle,
      nextGrantAt: null,
      routerPending: false,
      routerError: null,
    };
  }

  private async run<T>(work: () => Promise<T>, deadlineMs = COMMAND_DEADLINE_MS): Promise<T> {
    try {
      return await this.deps.temporal.withDeadline(Date.now() + deadlineMs, work);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw notFound();
      if (error instanceof WorkflowUpdateFailedError) {
        const answer = httpErrorOf(error.cause);
        if (answer) throw answer;
      }
      // A query's timeout arrives wrapped in a ServiceError, an update's as its own error or bare.
      const deadlineExceeded = grpcCodeOf(error) === GRPC_DEADLINE_EXCEEDED;
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || deadlineExceeded) {
        throw new HttpError(503, WORKER_UNAVAILABLE, 'The service did not answer in time; retry the request');
      }
      throw error;
    }
  }
}
