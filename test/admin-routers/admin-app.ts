import type { Server } from 'node:http';
import { once } from 'node:events';
import express from 'express';
import { requireBearerToken } from '../../api/auth';
import { errorHandler, notFoundHandler } from '../../api/errors';
import { ADMIN_SECURITY, createOpenApiRegistry, openApiRoutes, type Mount } from '../../api/openapi';

const ADMIN: Mount = { path: '/v1/admin', security: [ADMIN_SECURITY] };
import { adminRouterRoutes } from '../../api/routes/admin-routers';
import { freshRouterClient } from '../../api/router-probe';
import { createDatabase, type Database } from '../../infra/database';
import { createLogger } from '../../infra/logger';
import { createAddressPoolStore } from '../../store/address-pool-store';
import { createRoutersStore } from '../../store/routers-store';
import { testSecretBox } from '../helpers/fixtures';

export const ADMIN_TOKEN = 'test-admin-token-routers-0123456789';

export interface ApiAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

/**
 * The admin router routes wired as api/app.ts wires them, over real HTTP and the run's database
 * (DATABASE_URL, set by the jest globalSetup).
 */
export async function startAdminApp(options: { production?: boolean } = {}) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run tests through jest.config.js');
  const db: Database = createDatabase(databaseUrl, 5);
  const openApi = createOpenApiRegistry();
  const app = express();
  app.use(express.json({ limit: '2mb' }));
  app.use(openApiRoutes(openApi));
  app.use(
    ADMIN.path,
    requireBearerToken(ADMIN_TOKEN),
    adminRouterRoutes(
      {
        routers: createRoutersStore(db, testSecretBox),
        addressPool: createAddressPoolStore(db),
        openRouterClient: freshRouterClient,
        openApi,
        production: options.production ?? false,
      },
      ADMIN,
    ),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(createLogger({ level: 'silent', name: 'test' })));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;

  async function call(
    method: string,
    path: string,
    body?: unknown,
    token: string | undefined = ADMIN_TOKEN,
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, body: text ? JSON.parse(text) : undefined };
  }

  return {
    db,
    call,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.destroy();
    },
  };
}

export type AdminApp = Awaited<ReturnType<typeof startAdminApp>>;
