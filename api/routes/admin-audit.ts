import type { Router } from 'express';
import { z } from 'zod';
import type { AuditStore } from '../../store/audit-store';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

const auditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  before: z.coerce.number().int().positive().optional().describe('The last id of the previous page'),
  serviceId: z.coerce.number().int().positive().optional(),
  routerId: z.coerce.number().int().positive().optional(),
});

const auditPage = z.object({
  entries: z.array(
    z.object({
      id: z.number(),
      at: z.string(),
      actor: z.enum(['whmcs', 'admin']),
      action: z.string().describe('Method and route, e.g. POST /v1/whmcs/services/:id/suspend'),
      target: z.string().nullable().describe('service:<id> or router:<id>'),
      result: z.enum(['ok', 'queued', 'rejected', 'error']),
      status: z.number(),
      code: z.string().nullable().describe('The error code of a refused or failed request'),
    }),
  ),
  nextBefore: z.number().nullable().describe('Pass as `before` for the next page; null on the last page'),
});

/** The audit log of every mutating WHMCS and admin request, newest first. */
export function adminAuditRoutes(
  deps: { audit: AuditStore; openApi: OpenApiRegistry },
  mount: Mount,
): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['audit']);
  routes.route(
    {
      method: 'get',
      path: '/audit',
      summary: 'Who changed what, newest first; filter by service or router',
      request: { query: auditQuery },
      responses: { 200: { description: 'One page of the audit log', schema: auditPage } },
    },
    async ({ query }, response) => {
      const target =
        query.serviceId !== undefined
          ? `service:${query.serviceId}`
          : query.routerId !== undefined
            ? `router:${query.routerId}`
            : undefined;
      const entries = await deps.audit.list({ limit: query.limit, before: query.before, target });
      const nextBefore = entries.length === query.limit ? entries[entries.length - 1].id : null;
      response.json({ entries, nextBefore });
    },
  );
  return routes.router;
}
