import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { carriesSearchAttributes, serviceSearchAttributes } from '../search-attributes';
import type { CycleClock } from '../../domain/cycle-clock';
import { desiredAccount, sameDesiredAccount } from '../../domain/desired-account';
import { toInstant } from '../../domain/instants';
import { applyCommand, type ServiceCommand, type ServiceState } from '../../domain/service-state';
import { updateFailure } from '../activity-failures';
import { databaseWork } from '../activity-options';
import { oneAtATime } from '../one-at-a-time';
import { addonTransition, creditAddon, grantCycle } from './balance';
import { accepted, createdState, type CarriedServiceState } from './carried-state';
import { ClientNotices } from './client-notices';
import type {
  AddTrafficCommand,
  AddTrafficResult,
  BalanceChange,
  CommandResult,
  CreateServiceCommand,
  ServiceView,
} from './messages';
import { RouterConvergence } from './router-convergence';
import { serviceRecord, serviceView } from './views';

/** How long a command waits for the router before it answers "queued"; WHMCS waits 15 s at most. */
const COMMAND_WAIT = '10 seconds';

/**
 * One VPN service: the state it carries across continue-as-new, the state of this run, and its
 * commands. A handler runs alone until its first wait and applies its transition before it, so none
 * sees another's half-made change. Handlers interleave only while waiting: for the router (each answers
 * from the state it then sees; convergence always takes the newest desired state), and for a ledger
 * write (its balance is enforced on the state as it is when the write returns; a balance that was stale
 * by then is put right by the next check, as metering signals a limit that outlived its reason). So the
 * state needs no mutex; the database calls take turns, for replay's sake (`database`).
 */
export class VpnService {
  state: ServiceState;
  readonly clientEmail: string;
  readonly clientLanguage: string;
  readonly routerId: number;
  readonly cycleAnchor: string;
  nextDueDate: string | null;
  nextGrantAt: string | null;
  savedRevision: number;
  /** What the router was asked and has confirmed, and the loop that makes it match. */
  readonly router: RouterConvergence;
  readonly notices: ClientNotices;
  /** The database, one local activity at a time, whoever asks: handlers and the run alike. */
  readonly database = oneAtATime(databaseWork);

  /** Set once the account is on the router, its first traffic granted and the database updated. */
  provisioningSettled: boolean;
  /** Set by a balance signal, cleared when the ledger has been asked. */
  balanceCheckPending = false;
  /** When the earliest reading behind the pending check was taken, in ms. */
  balanceReadAtMs: number | undefined;

  constructor(
    readonly serviceId: number,
    readonly clock: CycleClock,
    carried: CarriedServiceState,
  ) {
    this.state = carried.state;
    this.clientEmail = carried.clientEmail;
    this.clientLanguage = carried.clientLanguage;
    this.routerId = carried.routerId;
    this.cycleAnchor = carried.cycleAnchor;
    this.nextDueDate = carried.nextDueDate;
    this.nextGrantAt = carried.nextGrantAt;
    this.savedRevision = carried.savedRevision;
    this.router = new RouterConvergence(this, carried.router);
    this.notices = new ClientNotices(this, carried.noticesSent);
    this.provisioningSettled = carried.state.status !== 'provisioning';
  }

  static create(serviceId: number, clock: CycleClock, command: CreateServiceCommand): VpnService {
    const service = new VpnService(serviceId, clock, createdState(serviceId, command));
    service.publishSearchAttributes();
    return service;
  }

  carried(): CarriedServiceState {
    return {
      state: this.state,
      clientEmail: this.clientEmail,
      clientLanguage: this.clientLanguage,
      routerId: this.routerId,
      cycleAnchor: this.cycleAnchor,
      nextDueDate: this.nextDueDate,
      nextGrantAt: this.nextGrantAt,
      savedRevision: this.savedRevision,
      router: this.router.record(),
      noticesSent: this.notices.sent,
    };
  }

  view(): ServiceView {
    return serviceView(this);
  }

  /** Update validators refuse what the state machine refuses, before anything is written to history. */
  validate(command: ServiceCommand): void {
    accepted(applyCommand(this.state, command));
  }

  /** Applies a command to the state; a change the router must see raises the desired version. */
  apply(command: ServiceCommand): void {
    const next = accepted(applyCommand(this.state, command));
    if (!sameDesiredAccount(desiredAccount(next), desiredAccount(this.state))) this.router.requestChange();
    const statusChanged = next.status !== this.state.status;
    this.state = next;
    if (statusChanged) this.publishSearchAttributes();
  }

  /** A command of the state machine: applied, then answered when the router has it. */
  async execute(command: ServiceCommand): Promise<CommandResult> {
    this.apply(command);
    // On unsuspend for billing the current cycle is granted once; cycles missed are not (docs/billing-cycles.md).
    if (command.type === 'unsuspend' && command.reason === 'billing') {
      await grantCycle(this, toInstant(Date.now()));
    }
    return this.answerWhen(this.router.appliedCheck());
  }

  /** A create is applied once the service is provisioned and the router has all asked of it since. */
  async answerCreate(): Promise<CommandResult> {
    const settled = await condition(() => this.provisioningSettled, COMMAND_WAIT);
    return this.result(settled && !this.router.pending);
  }

  validateAddTraffic(command: AddTrafficCommand): void {
    this.validate(addonTransition(this.serviceId, command).transition);
  }

  async addTraffic(command: AddTrafficCommand): Promise<AddTrafficResult> {
    const credit = await creditAddon(this, command);
    return { ...(await this.answerWhen(this.router.appliedCheck())), ...credit };
  }

  async retryRouter(): Promise<CommandResult> {
    const applied = this.router.appliedCheck();
    this.router.retryNow();
    // A service that was still provisioning answers "applied" once it is fully up.
    return this.answerWhen(() => this.provisioningSettled && applied());
  }

  /** A renewal the database refuses fails the update and leaves the due date as it was. */
  async renew(nextDueDate: string): Promise<CommandResult> {
    const previous = this.nextDueDate;
    this.nextDueDate = nextDueDate;
    try {
      await this.save();
    } catch (error) {
      if (this.nextDueDate === nextDueDate) this.nextDueDate = previous;
      throw updateFailure(error);
    }
    return this.result(true);
  }

  /** Metering's "look again": the balance it read may be stale by now, so the ledger is asked. */
  balanceChanged(change: BalanceChange | undefined): void {
    if (this.state.status === 'terminated') return;
    this.balanceCheckPending = true;
    const readAtMs = Date.parse(change?.readAt ?? '');
    if (Number.isFinite(readAtMs))
      this.balanceReadAtMs = Math.min(this.balanceReadAtMs ?? readAtMs, readAtMs);
  }

  /**
   * Saves the database copy under a new revision. Workflow time makes revisions rise even across a
   * reset of the workflow to an earlier point, when the counter alone would fall back.
   */
  async save(): Promise<void> {
    this.savedRevision = Math.max(this.savedRevision + 1, Date.now());
    await this.database.saveService(serviceRecord(this, this.savedRevision));
  }

  /** Answers "applied" once `done` holds, or "queued" when it has not in time. */
  private async answerWhen(done: () => boolean): Promise<CommandResult> {
    return this.result(await condition(done, COMMAND_WAIT));
  }

  private result(applied: boolean): CommandResult {
    return { outcome: applied ? 'applied' : 'queued', service: this.view() };
  }

  private publishSearchAttributes(): void {
    const wanted = serviceSearchAttributes({
      serviceId: this.serviceId,
      routerId: this.routerId,
      status: this.state.status,
    });
    if (!carriesSearchAttributes(workflowInfo().typedSearchAttributes, wanted))
      upsertSearchAttributes(wanted);
  }
}
