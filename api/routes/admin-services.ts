import type { Router } from 'express';
import { z } from 'zod';
import { LEDGER_ENTRY_KINDS } from '../../domain/ledger';
import { SERVICE_STATUSES } from '../../domain/service-state';
import type { Database } from '../../infra/database';
import { ADMIN_SECURITY, DocumentedRouter, type OpenApiRegistry } from '../openapi';

/**
 * Service lists and the full traffic ledger for administrators, read from the database copy that
 * every service workflow keeps current (the workflow's `status` answers for one service live).
 */
export interface AdminServiceDeps {
  db: Database;
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

interface ServiceListRow {
  id: bigint;
  whmcs_client_id: bigint;
  client_email: string;
  router_id: bigint;
  username: string;
  address: string | null;
  status: string;
  suspension_reasons: string[];
  billing_cycle: string;
  balance: bigint | null;
  updated_at: Date;
}

interface LedgerRow {
  id: bigint;
  at: Date;
  kind: string;
  delta_bytes: bigint;
  balance_before: bigint;
  balance_after: bigint;
  description: string;
  invoice_ref: string | null;
}

export function adminServiceRoutes(deps: AdminServiceDeps, mountPath: string): Router {
  const { db } = deps;
  const routes = new DocumentedRouter(deps.openApi, mountPath, {
    tags: ['services'],
    security: [ADMIN_SECURITY],
  });

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
      const rows: ServiceListRow[] = await db('services as s')
        .leftJoin('router_addresses as a', 'a.id', 's.address_id')
        .where('s.id', '>', query.afterId)
        .modify((builder) => {
          if (query.status) builder.where('s.status', query.status);
          if (query.routerId) builder.where('s.router_id', query.routerId);
          if (query.clientId) builder.where('s.whmcs_client_id', query.clientId);
          if (query.username)
            builder.whereLike('s.username', `${query.username.replace(/[\\%_]/g, '\\$&')}%`);
        })
        .orderBy('s.id')
        .limit(query.limit)
        .select(
          's.*',
          db.raw('host(a.address) as address'),
          db.raw(
            '(select balance_after from traffic_ledger l where l.service_id = s.id order by l.id desc limit 1) as balance',
          ),
        );
      response.json({
        services: rows.map((row) => ({
          serviceId: Number(row.id),
          clientId: Number(row.whmcs_client_id),
          clientEmail: row.client_email,
          routerId: Number(row.router_id),
          username: row.username,
          address: row.address,
          status: row.status,
          suspensionReasons: row.suspension_reasons,
          billingCycle: row.billing_cycle,
          balanceBytes: String(row.balance ?? 0n),
          updatedAt: row.updated_at.toISOString(),
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
      const rows: LedgerRow[] = await db('traffic_ledger')
        .where({ service_id: params.id })
        .modify((builder) => {
          if (query.kind) builder.where('kind', query.kind);
          if (query.beforeId) builder.where('id', '<', query.beforeId);
        })
        .orderBy('id', 'desc')
        .limit(query.limit);
      response.json({
        entries: rows.map((row) => ({
          id: Number(row.id),
          at: row.at.toISOString(),
          kind: row.kind,
          deltaBytes: String(row.delta_bytes),
          balanceBeforeBytes: String(row.balance_before),
          balanceAfterBytes: String(row.balance_after),
          description: row.description,
          invoiceRef: row.invoice_ref,
        })),
      });
    },
  );

  return routes.router;
}
