import type { Router } from 'express';
import { z } from 'zod';
import { parseBillingCycle, WHMCS_CYCLE_NAMES, type BillingCycle } from '../../domain/billing-cycles';
import { decimalProblem } from '../../domain/decimals';
import { normalizeInstant } from '../../domain/instants';
import { pppPasswordProblem } from '../../domain/passwords';
import { productSettingsSchema } from '../../domain/product-settings';
import { SUSPENSION_REASONS } from '../../domain/service-state';
import { serviceViewSchema } from '../../domain/service-view';
import type { LedgerStore } from '../../store/ledger-store';
import type { CommandResult } from '../../workflows/vpn-service/messages';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';
import type { ServiceCommands } from '../service-commands';
import { invalidRequest } from '../validation';

export interface ServiceRouteDeps {
  commands: ServiceCommands;
  ledger: LedgerStore;
  openApi: OpenApiRegistry;
}

/** The most traffic one invoice line may credit: a petabyte, far above any real addon. */
const MAX_CREDIT_GB = 1_000_000;

const plainPassword = z.string().superRefine((value, context) => {
  const problem = pppPasswordProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
const billingCycle = z
  .string()
  .max(40)
  .transform((value, context) => {
    try {
      return parseBillingCycle(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
const instant = z
  .string()
  .max(40)
  .transform((value, context) => {
    try {
      return normalizeInstant(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });
const creditGigabytes = z.union([z.string().max(40), z.number()]).transform((value, context) => {
  const problem = decimalProblem(value);
  if (problem || Number(value) <= 0 || Number(value) > MAX_CREDIT_GB) {
    context.addIssue({ code: 'custom', message: problem ?? `must be above 0 and at most ${MAX_CREDIT_GB}` });
    return z.NEVER;
  }
  return String(value);
});
/** Invoice ids and lines become part of ledger keys: WHMCS's are numbers, others' short codes. */
const invoiceReference = z
  .union([
    z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1-100 of A-Z a-z 0-9 . _ -'),
    z.number().int().positive(),
  ])
  .transform(String);

const createBody = z.strictObject({
  serviceId: z.number().int().positive(),
  clientId: z.number().int().positive(),
  clientEmail: z.email().max(254),
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
const trafficBody = z.strictObject({
  invoiceId: invoiceReference,
  invoiceItemId: invoiceReference
    .optional()
    .describe('The invoice line: two addons on one invoice are two credits'),
  gb: creditGigabytes.describe(`GB (10^9 bytes), above 0 and at most ${MAX_CREDIT_GB}, 3 decimals at most`),
  description: z.string().max(500).default('Traffic addon'),
});

const commandAnswer = z.object({ outcome: z.enum(['applied', 'queued']), service: serviceViewSchema });
const commandResponses = {
  200: { description: 'Applied on the router', schema: commandAnswer },
  202: { description: 'Accepted; queued until the router answers', schema: commandAnswer },
  404: { description: 'No such service' },
  409: { description: 'Impossible in the service’s state' },
  503: { description: 'No worker answered in time; retry' },
};

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
export function serviceRoutes(deps: ServiceRouteDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['services']);
  const { commands } = deps;

  routes.route(
    {
      method: 'post',
      path: '/services',
      summary: 'Create a VPN service (repeating it returns the same service)',
      request: { body: createBody },
      responses: {
        ...commandResponses,
        409: { description: 'The username is taken on the router or by another service, or reserved' },
        422: { description: 'Unknown or disabled router' },
      },
    },
    async ({ body }, response, request) => {
      requireCycleAmount(request.body, body.billingCycle);
      const result = await commands.create({
        ...body,
        cycleAnchor: body.cycleAnchor ?? new Date().toISOString(),
      });
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
        200: { description: 'The service', schema: serviceViewSchema.extend({ balanceBytes: z.string() }) },
        404: { description: 'No such service' },
      },
    },
    async ({ params }, response) => {
      const view = await commands.status(params.id);
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
        const result = await send(input.params.id, input.body as z.output<B>, request.body);
        response.status(statusOf(result)).json(result);
      },
    );

  command('suspend', 'Suspend (reason billing by default)', reasonBody('billing'), (id, { reason }) =>
    commands.suspend(id, reason),
  );
  command('unsuspend', 'Lift one suspension reason', reasonBody('billing'), (id, { reason }) =>
    commands.unsuspend(id, reason),
  );
  command(
    'terminate',
    'Remove the account and release its address; repeating it is harmless',
    emptyBody,
    (id) => commands.terminate(id),
  );
  command(
    'password',
    'Change the password and end the live session',
    z.strictObject({ password: plainPassword }),
    (id, { password }) => commands.changePassword(id, password),
  );
  command(
    'package',
    'Change speed, profile and service now; the traffic quota from the next cycle',
    z.strictObject({ product: productSettingsSchema, billingCycle }),
    (id, body, raw) => {
      requireCycleAmount(raw, body.billingCycle);
      return commands.changePackage(id, body.product, body.billingCycle);
    },
  );
  command(
    'renew',
    'Record the next due date after a renewal',
    z.strictObject({ nextDueDate: instant }),
    (id, body) => commands.renew(id, body.nextDueDate),
  );
  command('reset-connection', 'End the live session', emptyBody, (id) => commands.resetConnection(id));
  command(
    'retry',
    'Try the router again now, e.g. after fixing its credentials (a refused attempt otherwise waits an hour)',
    emptyBody,
    (id) => commands.retryRouter(id),
  );
  routes.route(
    {
      method: 'post',
      path: '/services/:id/traffic',
      summary: 'Add paid traffic, once per invoice line',
      description:
        'A repeat for the same invoice line answers `credited: false`; the same line with another amount ' +
        'is refused with 409 credit_conflict.',
      request: { params: serviceParams, body: trafficBody },
      responses: {
        ...commandResponses,
        200: {
          description: 'Credited, or credited before (`credited: false`)',
          schema: commandAnswer.extend({ credited: z.boolean(), balanceBytes: z.string() }),
        },
        409: {
          description: 'Impossible in the service’s state, or this line was credited with another amount',
        },
      },
    },
    async ({ params, body }, response) => {
      const result = await commands.addTraffic(params.id, body);
      response.status(statusOf(result)).json(result);
    },
  );

  return routes.router;
}
