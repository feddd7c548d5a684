import type { Router } from 'express';
import { z } from 'zod';
import { normalizeFingerprint } from '../../routeros';
import { AddressesHeldError, addressesInCidr, type AddressPoolStore } from '../../store/address-pool-store';
import {
  DuplicateRouterNameError,
  RouterInUseError,
  type RouterRecord,
  type RoutersStore,
} from '../../store/routers-store';
import { HttpError } from '../errors';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';
import { connectionTestSchema, probeRouter, type RouterClientFactory } from '../router-probe';
import { invalidRequest } from '../validation';

export interface AdminRouterDeps {
  routers: RoutersStore;
  addressPool: AddressPoolStore;
  openRouterClient: RouterClientFactory;
  openApi: OpenApiRegistry;
  /** Called after addresses were added: services that waited for one try again now. */
  addressesAdded?: (routerId: number) => Promise<void>;
  /** In production the plain API needs an operator's explicit allowPlainApi. */
  production: boolean;
}

/** Where the app mounts these routes, behind the admin bearer token. */
export const ADMIN_MOUNT_PATH = '/v1/admin';

/** A refused removal lists this many of the held addresses; its message gives the full count. */
const HELD_LISTED = 100;
const DEFAULT_TLS_PORT = 8729;
const DEFAULT_PLAIN_PORT = 8728;

const defaultPort = (tls: boolean) => (tls ? DEFAULT_TLS_PORT : DEFAULT_PLAIN_PORT);

const host = z.union([z.ipv4(), z.ipv6(), z.hostname()]);
const fingerprint = z
  .string()
  .regex(/^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){31}$/, 'must be a SHA-256 digest: 64 hex digits, colons allowed')
  .transform((value) => normalizeFingerprint(value) as string)
  .describe("SHA-256 of the router's API certificate; null verifies the certificate chain with CAs");

const routerFields = {
  name: z.string().trim().min(1).max(100),
  apiHost: host,
  apiPort: z.number().int().min(1).max(65535),
  tls: z.boolean(),
  tlsFingerprint: fingerprint.nullable(),
  apiUser: z.string().min(1).max(100),
  apiPassword: z.string().max(256).describe('Stored encrypted; never returned'),
  publicHostname: host.describe('The address VPN clients connect to'),
  capacity: z.number().int().min(0).max(1_000_000),
  enabled: z.boolean(),
  allowPlainApi: z
    .boolean()
    .describe(
      'Accept that tls: false sends the API password in clear; required for tls: false in production',
    ),
};

const fingerprintNeedsTls = {
  code: 'custom' as const,
  path: ['tlsFingerprint'],
  message: 'A fingerprint needs tls: true',
};

const createRouterBody = z
  .strictObject({
    ...routerFields,
    apiPort: routerFields.apiPort.optional().describe('Default 8729 with TLS, 8728 without'),
    tls: routerFields.tls.default(true),
    tlsFingerprint: routerFields.tlsFingerprint.default(null),
    capacity: routerFields.capacity.default(1000),
    enabled: routerFields.enabled.default(true),
    allowPlainApi: routerFields.allowPlainApi.default(false),
  })
  .superRefine((body, context) => {
    if (!body.tls && body.tlsFingerprint) context.addIssue(fingerprintNeedsTls);
  });

const updateRouterBody = z.strictObject({
  name: routerFields.name.optional(),
  apiHost: routerFields.apiHost.optional(),
  apiPort: routerFields.apiPort.optional(),
  tls: routerFields.tls
    .optional()
    .describe('Switching it also switches a default apiPort (8729/8728) unless apiPort is given'),
  tlsFingerprint: routerFields.tlsFingerprint.optional(),
  apiUser: routerFields.apiUser.optional(),
  apiPassword: routerFields.apiPassword.optional(),
  publicHostname: routerFields.publicHostname.optional(),
  capacity: routerFields.capacity.optional(),
  enabled: routerFields.enabled.optional(),
  allowPlainApi: routerFields.allowPlainApi.optional(),
});

const routerSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  apiHost: z.string(),
  apiPort: z.number().int(),
  tls: z.boolean(),
  tlsFingerprint: z.string().nullable(),
  apiUser: z.string(),
  publicHostname: z.string(),
  capacity: z.number().int(),
  enabled: z.boolean(),
  allowPlainApi: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const routerParams = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('The router id'),
});

const addressKind = z.enum(['private', 'public']);

const ipv4 = z.ipv4().describe('An IPv4 address');

const cidr = z
  .string()
  .transform((value, context) => {
    try {
      return addressesInCidr(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  })
  .describe('An IPv4 range, /16 at most; network and broadcast addresses are skipped below /31');

const addressSelection = {
  addresses: z.array(ipv4).min(1).max(10_000).optional(),
  cidr: cidr.optional(),
};

function exactlyOneSelection(
  body: { addresses?: string[]; cidr?: string[] },
  context: z.RefinementCtx,
): void {
  if ((body.addresses === undefined) === (body.cidr === undefined)) {
    context.addIssue({ code: 'custom', path: ['addresses'], message: 'Give either addresses or cidr' });
  }
}

const addAddressesBody = z
  .strictObject({ ...addressSelection, kind: addressKind.default('private') })
  .superRefine(exactlyOneSelection);

const removeAddressesBody = z.strictObject(addressSelection).superRefine(exactlyOneSelection);

const countsSchema = z.object({ total: z.number(), held: z.number(), free: z.number() });
const poolCountsSchema = z.object({ private: countsSchema, public: countsSchema });

const listAddressesQuery = z.object({
  kind: addressKind.optional(),
  held: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('true: only addresses held by live services; false: only free ones'),
  after: ipv4.optional().describe('The last address of the previous page'),
  limit: z.coerce.number().int().min(1).max(5_000).default(500),
});

const addressListSchema = z.object({
  counts: poolCountsSchema,
  addresses: z.array(
    z.object({
      id: z.number(),
      address: z.string(),
      kind: addressKind,
      serviceId: z.number().nullable().describe('The live service holding it; null when free'),
      createdAt: z.iso.datetime(),
    }),
  ),
  nextAfter: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
});

const notFound = { description: 'No router with this id' };

export const adminRouterSchemas = {
  createRouterBody,
  updateRouterBody,
  router: routerSchema,
  connectionTest: connectionTestSchema,
  addressList: addressListSchema,
};

/** Admin management of routers and their address pools, behind the admin token. */
export function adminRouterRoutes(deps: AdminRouterDeps, mount: Mount): Router {
  const { routers, addressPool } = deps;
  const routes = new DocumentedRouter(deps.openApi, mount, ['routers']);

  const routerNotFound = (id: number) =>
    new HttpError(404, 'router_not_found', `Router ${id} does not exist`);

  async function existingRouter(id: number): Promise<RouterRecord> {
    const router = await routers.get(id);
    if (!router) throw routerNotFound(id);
    return router;
  }

  /** In production a router on the plain API must be accepted as such: its password travels in clear. */
  function requirePlainApiConsent(tls: boolean, allowPlainApi: boolean): void {
    if (!deps.production || tls || allowPlainApi) return;
    throw invalidRequest([
      {
        field: 'allowPlainApi',
        message:
          "tls: false sends the router's API password in clear; set allowPlainApi: true to accept that",
      },
    ]);
  }

  async function orConflict<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof DuplicateRouterNameError)
        throw new HttpError(409, 'router_name_taken', error.message);
      throw error;
    }
  }

  routes.route(
    {
      method: 'post',
      path: '/routers',
      summary: 'Add a router',
      request: { body: createRouterBody },
      responses: {
        201: { description: 'The router', schema: routerSchema },
        409: { description: 'A router with this name exists' },
      },
    },
    async ({ body }, response) => {
      requirePlainApiConsent(body.tls, body.allowPlainApi);
      const router = await orConflict(() =>
        routers.create({ ...body, apiPort: body.apiPort ?? defaultPort(body.tls) }),
      );
      response.status(201).json(router);
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/routers',
      summary: 'List routers',
      responses: {
        200: { description: 'Every router', schema: z.object({ routers: z.array(routerSchema) }) },
      },
    },
    async (_input, response) => {
      response.json({ routers: await routers.list() });
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/routers/:id',
      summary: 'Get a router',
      request: { params: routerParams },
      responses: { 200: { description: 'The router', schema: routerSchema }, 404: notFound },
    },
    async ({ params }, response) => {
      response.json(await existingRouter(params.id));
    },
  );

  routes.route(
    {
      method: 'patch',
      path: '/routers/:id',
      summary: 'Change a router',
      description: 'Only the fields given change. A new apiPassword replaces the stored one.',
      request: { params: routerParams, body: updateRouterBody },
      responses: {
        200: { description: 'The router', schema: routerSchema },
        404: notFound,
        409: { description: 'A router with this name exists' },
      },
    },
    async ({ params, body }, response) => {
      const current = await existingRouter(params.id);
      const tls = body.tls ?? current.tls;
      requirePlainApiConsent(tls, body.allowPlainApi ?? current.allowPlainApi);
      const tlsFingerprint = body.tlsFingerprint === undefined ? current.tlsFingerprint : body.tlsFingerprint;
      if (!tls && tlsFingerprint) {
        throw invalidRequest([
          { field: 'tlsFingerprint', message: `${fingerprintNeedsTls.message}: send tlsFingerprint: null` },
        ]);
      }
      const followsTls =
        body.apiPort === undefined && tls !== current.tls && current.apiPort === defaultPort(current.tls);
      const changes = followsTls ? { ...body, apiPort: defaultPort(tls) } : body;
      const router = await orConflict(() => routers.update(params.id, changes));
      if (!router) throw routerNotFound(params.id);
      response.json(router);
    },
  );

  routes.route(
    {
      method: 'delete',
      path: '/routers/:id',
      summary: 'Retire a router that carries no live services',
      description:
        'Its free addresses are removed and its name can be used again; the router stays in the history ' +
        'of the services it carried. A router with live services is refused (409).',
      request: { params: routerParams },
      responses: {
        204: { description: 'Retired' },
        404: notFound,
        409: { description: 'The router still carries live services' },
      },
    },
    async ({ params }, response) => {
      try {
        if ((await routers.retire(params.id)) === 'not-found') throw routerNotFound(params.id);
      } catch (error) {
        if (error instanceof RouterInUseError) throw new HttpError(409, 'router_in_use', error.message);
        throw error;
      }
      response.status(204).end();
    },
  );

  for (const [action, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    routes.route(
      {
        method: 'post',
        path: `/routers/:id/${action}`,
        summary: enabled ? 'Enable a router' : 'Disable a router: no new services are placed on it',
        request: { params: routerParams },
        responses: { 200: { description: 'The router', schema: routerSchema }, 404: notFound },
      },
      async ({ params }, response) => {
        const router = await routers.setEnabled(params.id, enabled);
        if (!router) throw routerNotFound(params.id);
        response.json(router);
      },
    );
  }

  routes.route(
    {
      method: 'post',
      path: '/routers/:id/test',
      summary: 'Test the connection to a router',
      description:
        'Connects with the stored settings and reads identity, RouterOS version and uptime. A router ' +
        'that cannot be reached or refuses the login is a result of the test, not a failure of this ' +
        'request: it answers 200 with `ok: false` and the kind of failure.',
      request: { params: routerParams },
      responses: {
        200: { description: 'The outcome of the test', schema: connectionTestSchema },
        404: notFound,
      },
    },
    async ({ params }, response) => {
      const spec = await routers.connectionSpec(params.id);
      if (!spec) throw routerNotFound(params.id);
      response.json(await probeRouter(spec, deps.openRouterClient));
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/routers/:id/addresses',
      summary: "List a router's address pool, with the service holding each address",
      tags: ['addresses'],
      request: { params: routerParams, query: listAddressesQuery },
      responses: { 200: { description: 'One page of addresses', schema: addressListSchema }, 404: notFound },
    },
    async ({ params, query }, response) => {
      await existingRouter(params.id);
      const [counts, addresses] = await Promise.all([
        addressPool.counts(params.id),
        addressPool.list(params.id, query),
      ]);
      const nextAfter = addresses.length === query.limit ? addresses[addresses.length - 1].address : null;
      response.json({ counts, addresses, nextAfter });
    },
  );

  routes.route(
    {
      method: 'post',
      path: '/routers/:id/addresses',
      summary: "Add addresses to a router's pool, as a list or a CIDR range",
      description: 'Addresses already in the pool are left as they are (their kind included).',
      tags: ['addresses'],
      request: { params: routerParams, body: addAddressesBody },
      responses: {
        200: {
          description: 'How many were added',
          schema: z.object({ added: z.number(), alreadyPresent: z.number(), counts: poolCountsSchema }),
        },
        404: notFound,
      },
    },
    async ({ params, body }, response) => {
      await existingRouter(params.id);
      const addresses = body.addresses ?? body.cidr ?? [];
      const result = await addressPool.add(params.id, addresses, body.kind);
      if (result.added > 0) await deps.addressesAdded?.(params.id);
      response.json({ ...result, counts: await addressPool.counts(params.id) });
    },
  );

  routes.route(
    {
      method: 'delete',
      path: '/routers/:id/addresses',
      summary: "Remove free addresses from a router's pool",
      description: 'All or nothing: when a live service holds any of them, none is removed (409).',
      tags: ['addresses'],
      request: { params: routerParams, body: removeAddressesBody },
      responses: {
        200: {
          description: 'How many were removed',
          schema: z.object({ removed: z.number(), notFound: z.number(), counts: poolCountsSchema }),
        },
        404: notFound,
        409: { description: 'Some addresses are held by live services; `details` lists up to 100 of them' },
      },
    },
    async ({ params, body }, response) => {
      await existingRouter(params.id);
      try {
        const result = await addressPool.remove(params.id, body.addresses ?? body.cidr ?? []);
        response.json({ ...result, counts: await addressPool.counts(params.id) });
      } catch (error) {
        if (error instanceof AddressesHeldError)
          throw new HttpError(409, 'addresses_in_use', error.message, error.held.slice(0, HELD_LISTED));
        throw error;
      }
    },
  );

  return routes.router;
}
