import type { Router } from 'express';
import { z } from 'zod';
import { LEDGER_ENTRY_KINDS } from '../../domain/ledger';
import { SERVICE_STATUSES } from '../../domain/service-state';
import type { LedgerStore } from '../../store/ledger-store';
import type { ServicesStore } from '../../store/services-store';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

/**
 * Service lists and the full traffic ledger for administrators, read from the database copy that
 * every service workflow keeps current (the workflow's `status` answers for one service live).
 */
export interface AdminServiceDeps {
  services: Pick<ServicesStore, 'list'>;
  ledger: Pick<LedgerStore, 'entries'>;
  openApi: OpenApiRegistry;
}

const listQuery = z.strictObject({
  status: z.enum(SERVICE_STATUSES).optional(),
  routerId: z.coerce.number().int().positive().optional(),
  clientId: z.coerce.number().int().positive().optional(),
  username: z.string().max(64).optional().describe('Prefix of the PPP username'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  afterId: z.coerce.number().int().min(0).default(0).describe('Paging: the last id of the previous page'),
});
const serviceSummary = z.object({
  serviceId: z.number(),
  clientId: z.number(),
  clientEmail: z.string(),
  routerId: z.number(),
  username: z.string(),
  address: z.string().nullable(),
  status: z.string(),
  suspensionReasons: z.array(z.string()),
  billingCycle: z.string(),
  balanceBytes: z.string(),
  updatedAt: z.string(),
});
const ledgerQuery = z.strictObject({
  kind: z.enum(LEDGER_ENTRY_KINDS).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  beforeId: z.coerce.number().int().positive().optional().describe('Paging: entries older than this id'),
});
const ledgerEntry = z.object({
  id: z.number(),
  at: z.string(),
  kind: z.string(),
  deltaBytes: z.string(),
  balanceBeforeBytes: z.string(),
  balanceAfterBytes: z.string(),
  description: z.string(),
  invoiceRef: z.string().nullable(),
});

export function adminServiceRoutes(deps: AdminServiceDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['services']);

  routes.route(
    {
      method: 'get',
      path: '/services',
      summary: 'List services, filtered by status, router, client or username',
      request: { query: listQuery },
      responses: {
        200: {
          description: 'One page, by service id',
          schema: z.object({ services: z.array(serviceSummary) }),
        },
      },
    },
    async ({ query }, response) => {
      const services = await deps.services.list({
        status: query.status,
        routerId: query.routerId,
        clientId: query.clientId,
        usernamePrefix: query.username,
        afterId: query.afterId,
        limit: query.limit,
      });
      response.json({
        services: services.map((service) => ({
          serviceId: service.serviceId,
          clientId: service.clientId,
          clientEmail: service.clientEmail,
          routerId: service.routerId,
          username: service.username,
          address: service.address,
          status: service.status,
          suspensionReasons: service.suspensionReasons,
          billingCycle: service.billingCycle,
          balanceBytes: service.balanceBytes.toString(),
          updatedAt: service.updatedAt.toISOString(),
        })),
      });
    },
  );

  routes.route(
    {
      method: 'get',
      path: '/services/:id/ledger',
      summary: 'The traffic ledger of a service, newest first',
      request: { params: z.strictObject({ id: z.coerce.number().int().positive() }), query: ledgerQuery },
      responses: {
        200: { description: 'Ledger entries', schema: z.object({ entries: z.array(ledgerEntry) }) },
      },
    },
    async ({ params, query }, response) => {
      const entries = await deps.ledger.entries(params.id, query);
      response.json({
        entries: entries.map((entry) => ({
          id: entry.id,
          at: entry.at.toISOString(),
          kind: entry.kind,
          deltaBytes: entry.deltaBytes.toString(),
          balanceBeforeBytes: entry.balanceBeforeBytes.toString(),
          balanceAfterBytes: entry.balanceAfterBytes.toString(),
          description: entry.description,
          invoiceRef: entry.invoiceRef,
        })),
      });
    },
  );

  return routes.router;
}
