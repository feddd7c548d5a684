import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import type { CycleClock } from '../../domain/cycle-clock';
import { FAILURE } from '../../domain/failures';
import type { ServiceCommand } from '../../domain/service-state';
import { checkRepeatedCreate, createdState, type CarriedServiceState } from './carried-state';
import { runService } from './lifecycle';
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
  type ServiceView,
} from './messages';
import { VpnService } from './service';

export interface VpnServiceInput {
  serviceId: number;
  /** Compressed billing months for tests and the demo; absent, a month is a calendar month. */
  clock?: CycleClock;
  /** The state of the run this one continues. */
  carried?: CarriedServiceState;
}

/**
 * One workflow per WHMCS service, for the service's whole life (id `vpn-service-<serviceId>`, started
 * by the create). This function only wires messages to the VpnService and runs it.
 */
export async function vpnServiceWorkflow(input: VpnServiceInput): Promise<ServiceView> {
  const clock = input.clock ?? {};
  let service = input.carried && new VpnService(input.serviceId, clock, input.carried);
  const created = (): VpnService => {
    if (service) return service;
    throw ApplicationFailure.create({
      type: FAILURE.serviceNotCreated,
      message: 'service is not created yet',
      nonRetryable: true,
    });
  };
  /** Each command of the state machine: the validator runs the very transition the handler applies. */
  const command = <Args extends unknown[]>(
    update: UpdateDefinition<CommandResult, Args>,
    transition: (...args: Args) => ServiceCommand,
  ) =>
    setHandler(update, (...args: Args) => created().execute(transition(...args)), {
      validator: (...args: Args) => created().validate(transition(...args)),
    });

  setHandler(statusQuery, () => service?.view() ?? null);
  setHandler(
    createServiceUpdate,
    (create) => {
      service ??= VpnService.create(input.serviceId, clock, create);
      return service.answerCreate();
    },
    {
      validator: (create) =>
        service ? checkRepeatedCreate(service, create) : void createdState(input.serviceId, create),
    },
  );
  command(suspendUpdate, ({ reason }) => ({ type: 'suspend', reason }));
  command(unsuspendUpdate, ({ reason }) => ({ type: 'unsuspend', reason }));
  command(terminateUpdate, () => ({ type: 'terminate' }));
  command(changePasswordUpdate, ({ passwordSealed }) => ({
    type: 'changePassword',
    sealedPassword: passwordSealed,
  }));
  command(changePackageUpdate, ({ product, billingCycle }) => ({
    type: 'changePackage',
    product,
    billingCycle,
  }));
  command(resetConnectionUpdate, () => ({ type: 'resetConnection' }));
  setHandler(addTrafficUpdate, (addon) => created().addTraffic(addon), {
    validator: (addon) => created().validateAddTraffic(addon),
  });
  setHandler(renewUpdate, ({ nextDueDate }) => created().renew(nextDueDate), {
    validator: (_renewal) => void created(),
  });
  setHandler(retryRouterUpdate, () => created().retryRouter(), { validator: () => void created() });
  setHandler(balanceChangedSignal, (change) => service?.balanceChanged(change));

  await condition(() => service !== undefined);
  const end = await runService(created());
  if (end === 'terminated') return created().view();
  return continueAsNew<typeof vpnServiceWorkflow>({
    serviceId: input.serviceId,
    clock,
    carried: created().carried(),
  });
}
