import type { Activities } from '../../activities';
import type { ServiceView } from './messages';
import type { VpnService } from './service';

type ServiceRecord = Parameters<Activities['saveService']>[0];

/** The service as its callers see it: status, router progress, no secrets. */
export function serviceView(service: VpnService): ServiceView {
  const { state, router } = service;
  return {
    serviceId: service.serviceId,
    status: state.status,
    suspensionReasons: state.suspensionReasons,
    username: state.username,
    routerId: service.routerId,
    address: router.address?.address ?? null,
    billingCycle: state.billingCycle,
    nextGrantAt: service.nextGrantAt,
    routerPending: router.pending,
    routerError: router.error,
  };
}

/** The service as the database keeps it, for the panels, metering and the API to read. */
export function serviceRecord(service: VpnService, revision: number): ServiceRecord {
  const { state } = service;
  return {
    revision,
    serviceId: service.serviceId,
    clientId: state.clientId,
    clientEmail: service.clientEmail,
    clientLanguage: service.clientLanguage,
    product: state.product,
    routerId: service.routerId,
    username: state.username,
    passwordSealed: state.sealedPassword,
    addressId: service.router.address?.id ?? null,
    status: state.status,
    suspensionReasons: state.suspensionReasons,
    billingCycle: state.billingCycle,
    nextDueDate: service.nextDueDate,
  };
}
