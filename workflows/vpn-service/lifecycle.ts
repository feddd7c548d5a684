import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import { nextBoundary } from '../../domain/cycle-clock';
import { toInstant } from '../../domain/instants';
import { unlessRefused } from '../activity-failures';
import { checkBalance, grantCycle } from './balance';
import type { VpnService } from './service';

/** How a run ends: the service is gone, or the run's history is long enough to go on in a new one. */
type RunEnd = 'terminated' | 'continueAsNew';

/** Puts a new account on the router, grants its first traffic, and only then counts it as active. */
async function provision(service: VpnService): Promise<void> {
  await service.router.converge();
  // Terminated before the router ever answered: nothing to grant or activate.
  if (service.state.status !== 'provisioning') return;
  // The first grant is written before the service counts as active, so a create that answers
  // "applied" has its traffic already.
  await grantCycle(service, toInstant(Date.now()));
  service.apply({ type: 'provisioned' });
  await unlessRefused('service record', () => service.save());
  const { clock, cycleAnchor, state } = service;
  service.nextGrantAt = nextBoundary(clock, state.billingCycle, cycleAnchor, toInstant(Date.now()));
}

/**
 * One run of the service: provisioning, then waiting for what comes first — a router change, a
 * balance to check, the next cycle's grant — until the service is terminated or the run continues as
 * new (at every cycle boundary and whenever Temporal suggests it), after every handler has finished.
 */
export async function runService(service: VpnService): Promise<RunEnd> {
  if (service.state.status === 'provisioning') await provision(service);
  service.provisioningSettled = true;
  const { router, notices } = service;
  const wake = () => router.pending || service.balanceCheckPending || workflowInfo().continueAsNewSuggested;
  for (;;) {
    if (service.state.status === 'terminated' && !router.pending) {
      await condition(() => allHandlersFinished() && notices.settled);
      await unlessRefused('service record', () => service.save());
      return 'terminated';
    }
    const dueInMs =
      service.nextGrantAt === null ? undefined : Math.max(0, Date.parse(service.nextGrantAt) - Date.now());
    const woken = dueInMs === undefined ? (await condition(wake), true) : await condition(wake, dueInMs);
    if (service.balanceCheckPending) {
      await checkBalance(service);
      continue;
    }
    if (router.pending) {
      await router.converge();
      continue;
    }
    const grantAt = service.nextGrantAt;
    if (!woken && grantAt !== null && Date.now() >= Date.parse(grantAt)) {
      await grantCycle(service, grantAt);
      service.nextGrantAt = nextBoundary(
        service.clock,
        service.state.billingCycle,
        service.cycleAnchor,
        grantAt,
      );
      if (router.pending) await router.converge();
    }
    if (!woken || workflowInfo().continueAsNewSuggested) {
      // A notice still being retried (SMTP down) holds up continue-as-new, never a router change.
      await condition(
        () => router.pending || service.balanceCheckPending || (allHandlersFinished() && notices.settled),
      );
      if (router.pending || service.balanceCheckPending) continue;
      return 'continueAsNew';
    }
  }
}
