import { ApplicationFailure } from '@temporalio/workflow';
import { FAILURE } from '../../domain/failures';
import { createServiceState, type ServiceState, type Transition } from '../../domain/service-state';
import type { CreateServiceCommand } from './messages';
import type { RouterRecord } from './router-convergence';

/** Everything the workflow carries across continue-as-new: plain JSON only. */
export interface CarriedServiceState {
  state: ServiceState;
  clientEmail: string;
  clientLanguage: string;
  routerId: number;
  cycleAnchor: string;
  nextDueDate: string | null;
  nextGrantAt: string | null;
  /** The revision of the last save to the database. */
  savedRevision: number;
  router: RouterRecord;
  /** Client notices sent, `<kind>@<cycle start>`, newest last (bounded). */
  noticesSent: string[];
}

/** The state machine's new state; when it refuses, the update fails with its reason. */
export function accepted(transition: Transition): ServiceState {
  if (transition.ok) return transition.state;
  throw ApplicationFailure.create({
    type: FAILURE.invalidTransition,
    message: transition.message,
    nonRetryable: true,
  });
}

/** The workflow id names the service; a create that names another one reached the wrong workflow. */
function checkServiceId(serviceId: number, command: CreateServiceCommand): void {
  if (command.serviceId === serviceId) return;
  throw ApplicationFailure.create({
    type: FAILURE.invalidInput,
    message: `service id ${command.serviceId} does not belong to workflow of ${serviceId}`,
    nonRetryable: true,
  });
}

/** What a create starts from: nothing on the router yet, nothing saved, no notice sent. */
export function createdState(serviceId: number, command: CreateServiceCommand): CarriedServiceState {
  checkServiceId(serviceId, command);
  const state = accepted(
    createServiceState({
      serviceId: command.serviceId,
      clientId: command.clientId,
      whmcsUsername: command.whmcsUsername,
      sealedPassword: command.passwordSealed,
      product: command.product,
      billingCycle: command.billingCycle,
    }),
  );
  return {
    state,
    clientEmail: command.clientEmail,
    clientLanguage: command.clientLanguage,
    routerId: command.routerId,
    cycleAnchor: command.cycleAnchor,
    nextDueDate: command.nextDueDate,
    nextGrantAt: null,
    savedRevision: 0,
    router: { address: null, desiredVersion: 1, appliedVersion: 0, kicksDone: 0, error: null },
    noticesSent: [],
  };
}

/** A repeated create is answered as the first was, unless it is for another client or router. */
export function checkRepeatedCreate(
  existing: { state: ServiceState; routerId: number },
  command: CreateServiceCommand,
): void {
  checkServiceId(existing.state.serviceId, command);
  if (command.clientId !== existing.state.clientId || command.routerId !== existing.routerId) {
    throw ApplicationFailure.create({
      type: FAILURE.serviceConflict,
      message: 'service already exists for another client or router',
      nonRetryable: true,
    });
  }
}
