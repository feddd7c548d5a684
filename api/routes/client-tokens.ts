import type { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../infra/database';
import { CLIENT_TOKEN_TTL_SECONDS, issueClientToken } from '../client-tokens';
import { HttpError } from '../errors';
import { DocumentedRouter, type OpenApiRegistry } from '../openapi';

export interface ClientTokenRouteDeps {
  db: Database;
  openApi: OpenApiRegistry;
  whmcsSecret: string;
  now?: () => number;
}

const serviceParams = z.strictObject({ id: z.coerce.number().int().positive() });
const issuedToken = z.object({
  serviceId: z.number(),
  token: z.string().describe('Send as "Authorization: Bearer <token>" to /v1/client'),
  expiresAt: z.string(),
});

/** WHMCS asks here for the token that lets a logged-in client see their own service. */
export function clientTokenRoutes(
  deps: ClientTokenRouteDeps,
  mountPath: string,
  security?: string[],
): Router {
  const routes = new DocumentedRouter(deps.openApi, mountPath, { tags: ['client'], security });
  const now = deps.now ?? Date.now;

  routes.route(
    {
      method: 'post',
      path: '/services/:id/client-token',
      summary: `A token for the service's client panel, valid ${CLIENT_TOKEN_TTL_SECONDS / 60} minutes`,
      request: { params: serviceParams },
      responses: {
        201: { description: 'The token', schema: issuedToken },
        404: { description: 'No such service' },
        409: { description: 'The service is terminated' },
      },
    },
    async ({ params }, response) => {
      const service: { whmcs_client_id: bigint; status: string } | undefined = await deps
        .db('services')
        .where({ id: params.id })
        .first('whmcs_client_id', 'status');
      if (!service) throw new HttpError(404, 'service_not_found', 'No such service');
      if (service.status === 'terminated') {
        throw new HttpError(409, 'service_terminated', 'A terminated service has no client panel');
      }
      const expiresAt = Math.floor(now() / 1000) + CLIENT_TOKEN_TTL_SECONDS;
      const token = issueClientToken(deps.whmcsSecret, {
        serviceId: params.id,
        clientId: Number(service.whmcs_client_id),
        expiresAt,
      });
      response.status(201).json({
        serviceId: params.id,
        token,
        expiresAt: new Date(expiresAt * 1000).toISOString(),
      });
    },
  );

  return routes.router;
}
