import type { SuspensionReason } from '../../domain/service-state';
import type { SimulatedRouter } from '../../simulator';
import { eventually } from '../helpers/eventually';
import { ACCOUNT_PASSWORD, meteredProduct } from '../metering/metering-fixtures';
import type { ExpectedState, TrackedService } from './fault-checks';

/** What the scenarios of the fault matrix share: the services they create and how they go online. */

export const MINUTE = 60_000;

/** A WHMCS CreateAccount for a service on a router, with `trafficGb` a month. */
export const createRequest = (serviceId: number, routerId: number, trafficGb = 100) => ({
  serviceId,
  clientId: 700,
  clientEmail: `client${serviceId}@example.net`,
  routerId,
  username: `f${serviceId}`,
  password: ACCOUNT_PASSWORD,
  product: meteredProduct(trafficGb),
  billingCycle: 'Monthly',
});

/** A service the scenario follows, active until a command says otherwise. */
export const tracked = (serviceId: number, routerId: number): TrackedService => ({
  serviceId,
  username: `f${serviceId}`,
  routerId,
  expected: { status: 'active' },
  invoices: [],
});

export const suspendedFor = (...reasons: SuspensionReason[]): ExpectedState => ({
  status: 'suspended',
  reasons,
});

/** The client connects, and its traffic moves whenever the router's clock does. */
export const goOnline = (router: SimulatedRouter, service: TrackedService, password = ACCOUNT_PASSWORD) =>
  router.connectSession(service.username, password, { service: 'l2tp' });

/**
 * The client dials until the router lets it in, as a real one does: for a service whose create was
 * answered "queued", the account reaches the router later.
 */
export const dialUntilOnline = (router: SimulatedRouter, service: TrackedService) =>
  eventually(() => goOnline(router, service), { timeoutMs: 90_000, intervalMs: 250 });
