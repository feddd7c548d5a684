import type { Router } from 'express';
import { z } from 'zod';
import type { ServicesStore } from '../../store/services-store';
import { CLIENT_TOKEN_TTL_SECONDS, issueClientToken } from '../client-tokens';
import { HttpError } from '../errors';
import { DocumentedRouter, type Mount, type OpenApiRegistry } from '../openapi';

export interface ClientTokenRouteDeps {
  services: Pick<ServicesStore, 'find'>;
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
export function clientTokenRoutes(deps: ClientTokenRouteDeps, mount: Mount): Router {
  const routes = new DocumentedRouter(deps.openApi, mount, ['client']);
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
      const service = await deps.services.find(params.id);
      if (!service) throw new HttpError(404, 'service_not_found', 'No such service');
      if (service.status === 'terminated') {
        throw new HttpError(409, 'service_terminated', 'A terminated service has no client panel');
      }
      const expiresAt = Math.floor(now() / 1000) + CLIENT_TOKEN_TTL_SECONDS;
      const token = issueClientToken(deps.whmcsSecret, {
        serviceId: params.id,
        clientId: service.clientId,
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
