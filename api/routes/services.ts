import type { Router } from 'express';
import {
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { parseBillingCycle, WHMCS_CYCLE_NAMES, type BillingCycle } from '../../domain/billing-cycles';
import type { CycleClock } from '../../domain/cycle-clock';
import { normalizeInstant } from '../../domain/instants';
import { pppPasswordProblem } from '../../domain/passwords';
import { productSettingsSchema } from '../../domain/product-settings';
import { SUSPENSION_REASONS } from '../../domain/service-state';
import { decimalProblem } from '../../domain/decimals';
import { fallbackNameProblem, pppUsername } from '../../domain/usernames';
import { serviceWorkflowId } from '../../domain/workflow-ids';
import type { SecretBox } from '../../infra/secret-box';
import type { RouterDirectory } from '../../routeros';
import type { LedgerStore } from '../../store/ledger-store';
import type { RoutersStore } from '../../store/routers-store';
import type { ServicesStore } from '../../store/services-store';
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
  type CommandResult,
  type CreateServiceCommand,
} from '../../workflows/vpn-service-messages';
import type { VpnServiceInput } from '../../workflows/vpn-service';
import { HttpError } from '../errors';
import { routerNameHolder } from '../router-name-check';
import { invalidRequest } from '../validation';
import { DocumentedRouter, type OpenApiRegistry } from '../openapi';

export interface ServiceRouteDeps {
  temporal: Client;
  taskQueue: string;
  secretBox: SecretBox;
  ledger: LedgerStore;
  services: ServicesStore;
  routers: RoutersStore;
  /** Live router access, for the name check before a create. */
  routerClients: RouterDirectory;
  openApi: OpenApiRegistry;
  /** Compressed billing months for tests and the demo; absent in production. */
  cycleClock: CycleClock;
}

/** WHMCS waits about 15 s for a module call; the workflow answers "queued" after 10 s. */
const COMMAND_DEADLINE_MS = 14_000;

const plainPassword = z.string().superRefine((value, context) => {
  const problem = pppPasswordProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
const billingCycle = z.string().transform((value, context) => {
  try {
    return parseBillingCycle(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const instant = z.string().transform((value, context) => {
  try {
    return normalizeInstant(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});
const gigabytes = z.union([z.string(), z.number()]).transform((value, context) => {
  const problem = decimalProblem(value);
  if (problem || Number(value) <= 0) {
    context.addIssue({ code: 'custom', message: problem ?? 'must be positive' });
    return z.NEVER;
  }
  return String(value);
});

const createBody = z.strictObject({
  serviceId: z.number().int().positive(),
  clientId: z.number().int().positive(),
  clientEmail: z.email(),
  clientLanguage: z.string().trim().max(40).default('english'),
  routerId: z.number().int().positive(),
  username: z
    .string()
    .max(200)
    .nullable()
    .default(null)
    .describe('Used when valid for RouterOS, else vpn<serviceId>'),
  password: plainPassword,
  product: productSettingsSchema.prefault({}),
  billingCycle,
  cycleAnchor: instant.optional().describe('Where billing cycles count from; default now'),
  nextDueDate: instant.nullable().default(null),
});
const serviceParams = z.strictObject({ id: z.coerce.number().int().positive() });
const reasonBody = (fallback: 'billing' | 'admin') =>
  z.strictObject({ reason: z.enum(SUSPENSION_REASONS).default(fallback) }).prefault({});
const emptyBody = z.strictObject({}).prefault({});

const serviceView = z.object({
  serviceId: z.number(),
  status: z.string(),
  suspensionReasons: z.array(z.string()),
  username: z.string(),
  routerId: z.number(),
  address: z.string().nullable(),
  billingCycle: z.string(),
  nextGrantAt: z.string().nullable(),
  routerPending: z.boolean(),
  routerError: z.string().nullable(),
});
const commandAnswer = z.object({ outcome: z.enum(['applied', 'queued']), service: serviceView });
const commandResponses = {
  200: { description: 'Applied on the router', schema: commandAnswer },
  202: { description: 'Accepted; queued until the router answers', schema: commandAnswer },
  404: { description: 'No such service' },
  409: { description: 'Impossible in the service’s state' },
  503: { description: 'No worker answered in time; retry' },
};

/** Turns Temporal's answers into the API's: unknown service 404, refused transition 409. */
async function runCommand<T>(temporal: Client, work: () => Promise<T>): Promise<T> {
  try {
    return await temporal.withDeadline(Date.now() + COMMAND_DEADLINE_MS, work);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError)
      throw new HttpError(404, 'service_not_found', 'No such service');
    if (error instanceof WorkflowUpdateFailedError) {
      const cause = error.cause instanceof ApplicationFailure ? error.cause : undefined;
      throw new HttpError(409, 'invalid_transition', cause?.message ?? error.message);
    }
    const grpcDeadlineExceeded = (error as { code?: number }).code === 4;
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || grpcDeadlineExceeded) {
      throw new HttpError(503, 'worker_unavailable', 'The service did not answer in time; retry the request');
    }
    throw error;
  }
}

/**
 * A product must say how much traffic the service's billing cycle grants: a missing amount once meant
 * unlimited traffic by accident. 0 is the explicit way to sell unlimited.
 */
function requireCycleAmount(rawBody: unknown, cycle: BillingCycle): void {
  const trafficGb = (rawBody as { product?: { trafficGb?: Record<string, unknown> } } | undefined)?.product
    ?.trafficGb;
  if (trafficGb?.[cycle] !== undefined) return;
  throw invalidRequest([
    {
      field: `product.trafficGb.${cycle}`,
      message: `required for the ${WHMCS_CYCLE_NAMES[cycle]} billing cycle: GB per cycle, or 0 for unlimited`,
    },
  ]);
}

const statusOf = (result: CommandResult) => (result.outcome === 'applied' ? 200 : 202);

/** Service commands for one audience (WHMCS or administrators); the app mounts them with its auth. */
export function serviceRoutes(deps: ServiceRouteDeps, mountPath: string, security?: string[]): Router {
  const routes = new DocumentedRouter(deps.openApi, mountPath, { tags: ['services'], security });
  const handleOf = (id: number) => deps.temporal.workflow.getHandle(serviceWorkflowId(id));

  routes.route(
    {
      method: 'post',
      path: '/services',
      summary: 'Create a VPN service (repeating it returns the same service)',
      request: { body: createBody },
      responses: { ...commandResponses, 422: { description: 'Unknown or disabled router' } },
    },
    async ({ body }, response, request) => {
      requireCycleAmount(request.body, body.billingCycle);
      const router = await deps.routers.get(body.routerId);
      if (!router || !router.enabled) {
        throw new HttpError(422, 'unknown_router', `Router ${body.routerId} does not exist or is disabled`);
      }
      const username = pppUsername(body.username, body.serviceId);
      const fallbackProblem = fallbackNameProblem(username, body.serviceId);
      if (fallbackProblem) throw new HttpError(409, 'username_reserved', fallbackProblem);
      const holder = await routerNameHolder(deps.routerClients, body.routerId, username, body.serviceId);
      if (holder === 'someone-else') {
        throw new HttpError(
          409,
          'username_taken_on_router',
          `The name "${username}" is already used on router ${router.name} by an account vpnflow did not create`,
          { routerId: router.id, routerName: router.name, username },
        );
      }
      const passwordSealed = deps.secretBox.seal(body.password);
      const reservation = await deps.services.reserve({
        serviceId: body.serviceId,
        clientId: body.clientId,
        clientEmail: body.clientEmail,
        clientLanguage: body.clientLanguage,
        product: body.product,
        routerId: body.routerId,
        username,
        passwordSealed,
        billingCycle: body.billingCycle,
        nextDueDate: body.nextDueDate,
      });
      if (reservation === 'username-taken') {
        throw new HttpError(
          409,
          'username_taken',
          `The name "${username}" is used by another service on router ${router.name}`,
          { routerId: router.id, routerName: router.name, username },
        );
      }
      const command: CreateServiceCommand = {
        serviceId: body.serviceId,
        clientId: body.clientId,
        clientEmail: body.clientEmail,
        clientLanguage: body.clientLanguage,
        routerId: body.routerId,
        whmcsUsername: username,
        passwordSealed,
        product: body.product,
        billingCycle: body.billingCycle,
        cycleAnchor: body.cycleAnchor ?? new Date().toISOString(),
        nextDueDate: body.nextDueDate,
      };
      const input: VpnServiceInput = { serviceId: body.serviceId, clock: deps.cycleClock };
      const result = await runCommand(deps.temporal, () =>
        deps.temporal.workflow.executeUpdateWithStart(createServiceUpdate, {
          args: [command],
          startWorkflowOperation: new WithStartWorkflowOperation('vpnServiceWorkflow', {
            workflowId: serviceWorkflowId(body.serviceId),
            taskQueue: deps.taskQueue,
            args: [input],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        }),
      );
      response.status(statusOf(result)).json(result);
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/services/:id',
      summary: 'Service status and traffic balance',
      request: { params: serviceParams },
      responses: {
        200: { description: 'The service', schema: serviceView.extend({ balanceBytes: z.string() }) },
        404: { description: 'No such service' },
      },
    },
    async ({ params }, response) => {
      const view = await runCommand(deps.temporal, () => handleOf(params.id).query(statusQuery));
      if (!view) throw new HttpError(404, 'service_not_found', 'No such service');
      const balance = await deps.ledger.balance(params.id);
      response.json({ ...view, balanceBytes: balance.toString() });
    },
  );

  const command = <B extends z.ZodType>(
    path: string,
    summary: string,
    body: B,
    send: (id: number, body: z.output<B>, rawBody: unknown) => Promise<CommandResult>,
  ) =>
    routes.route(
      {
        method: 'post',
        path: `/services/:id/${path}`,
        summary,
        request: { params: serviceParams, body },
        responses: commandResponses,
      },
      async (input, response, request) => {
        const result = await runCommand(deps.temporal, () =>
          send(input.params.id, input.body as z.output<B>, request.body),
        );
        response.status(statusOf(result)).json(result);
      },
    );

  command('suspend', 'Suspend (reason billing by default)', reasonBody('billing'), (id, { reason }) =>
    handleOf(id).executeUpdate(suspendUpdate, { args: [{ reason }] }),
  );
  command('unsuspend', 'Lift one suspension reason', reasonBody('billing'), (id, { reason }) =>
    handleOf(id).executeUpdate(unsuspendUpdate, { args: [{ reason }] }),
  );
  command('terminate', 'Remove the account and release its address', emptyBody, (id) =>
    handleOf(id).executeUpdate(terminateUpdate, { args: [] }),
  );
  command(
    'password',
    'Change the password and end the live session',
    z.strictObject({ password: plainPassword }),
    (id, { password }) =>
      handleOf(id).executeUpdate(changePasswordUpdate, {
        args: [{ passwordSealed: deps.secretBox.seal(password) }],
      }),
  );
  command(
    'package',
    'Change speed, profile and service now; the traffic quota from the next cycle',
    z.strictObject({ product: productSettingsSchema, billingCycle }),
    (id, body, raw) => {
      requireCycleAmount(raw, body.billingCycle);
      return handleOf(id).executeUpdate(changePackageUpdate, { args: [body] });
    },
  );
  command(
    'renew',
    'Record the next due date after a renewal',
    z.strictObject({ nextDueDate: instant }),
    (id, body) => handleOf(id).executeUpdate(renewUpdate, { args: [body] }),
  );
  command('reset-connection', 'End the live session', emptyBody, (id) =>
    handleOf(id).executeUpdate(resetConnectionUpdate, { args: [] }),
  );
  command(
    'retry',
    'Try the router again now, e.g. after fixing its credentials (a refused attempt otherwise waits an hour)',
    emptyBody,
    (id) => handleOf(id).executeUpdate(retryRouterUpdate, { args: [] }),
  );
  routes.route(
    {
      method: 'post',
      path: '/services/:id/traffic',
      summary: 'Add paid traffic, once per invoice',
      request: {
        params: serviceParams,
        body: z.strictObject({
          invoiceId: z.union([z.string().min(1).max(100), z.number().int().positive()]).transform(String),
          gb: gigabytes,
          description: z.string().max(500).default('Traffic addon'),
        }),
      },
      responses: {
        ...commandResponses,
        200: {
          description: 'Credited (or already credited)',
          schema: commandAnswer.extend({ credited: z.boolean(), balanceBytes: z.string() }),
        },
      },
    },
    async ({ params, body }, response) => {
      const result = await runCommand(deps.temporal, () =>
        handleOf(params.id).executeUpdate(addTrafficUpdate, {
          args: [body],
          updateId: `traffic:${body.invoiceId}`,
        }),
      );
      response.status(statusOf(result)).json(result);
    },
  );

  return routes.router;
}
