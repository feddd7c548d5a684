import { WorkflowUpdateStage, type Client } from '@temporalio/client';
import { serviceWorkflowId } from '../domain/workflow-ids';
import type { ServicesStore } from '../store/services-store';
import type { Logger } from '../infra/logger';
import { retryRouterUpdate } from '../workflows/vpn-service/messages';

/**
 * After addresses were added to a router's pool, the services that could not be provisioned for want
 * of one (still provisioning, no address) try again at once instead of after their hour's wait.
 */
export function wakeServicesWaitingForAddresses(
  services: Pick<ServicesStore, 'waitingForAddress'>,
  temporal: Client,
  logger: Logger,
) {
  return async (routerId: number): Promise<void> => {
    const waiting = await services.waitingForAddress(routerId);
    await Promise.all(
      waiting.map(async (serviceId) => {
        try {
          await temporal.workflow
            .getHandle(serviceWorkflowId(serviceId))
            .startUpdate(retryRouterUpdate, { args: [], waitForStage: WorkflowUpdateStage.ACCEPTED });
        } catch (error) {
          // The address is there for the next attempt anyway; a failed wake-up only costs the wait.
          logger.warn({ serviceId, err: error }, 'could not wake a service waiting for an address');
        }
      }),
    );
  };
}
