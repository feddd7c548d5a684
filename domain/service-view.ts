import { z } from 'zod';
import { BILLING_CYCLES } from './billing-cycles';
import { SERVICE_STATUSES, SUSPENSION_REASONS } from './service-state';

/**
 * What a service looks like to its callers: the service workflow's status query answers it and the API
 * documents it. The workflow imports only the type, so zod stays out of the workflow bundle.
 */
export const serviceViewSchema = z.object({
  serviceId: z.number(),
  status: z.enum(SERVICE_STATUSES),
  suspensionReasons: z.array(z.enum(SUSPENSION_REASONS)),
  username: z.string(),
  routerId: z.number(),
  address: z.string().nullable(),
  billingCycle: z.enum(BILLING_CYCLES),
  nextGrantAt: z.string().nullable(),
  routerPending: z.boolean().describe('True while the router has not yet confirmed the latest desired state'),
  routerError: z
    .string()
    .nullable()
    .describe('The last router failure that stopped convergence, without secrets'),
});

export type ServiceView = z.output<typeof serviceViewSchema>;
