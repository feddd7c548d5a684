import { once } from 'node:events';
import type { Server } from 'node:http';
import express from 'express';
import { AuthThrottle } from '../../api/auth-throttle';
import { errorHandler, notFoundHandler } from '../../api/errors';
import { ADMIN_SECURITY, createOpenApiRegistry } from '../../api/openapi';
import { codecRoutes, type CodecRouteOptions } from '../../api/routes/codec';
import { createLogger } from '../../infra/logger';

export interface RunningCodecServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** The codec routes behind the API's own error handling, listening on a free port. */
export async function startCodecServer(
  options: Omit<CodecRouteOptions, 'openApi' | 'guard'>,
): Promise<RunningCodecServer> {
  const app = express();
  app.use(
    codecRoutes(
      { ...options, openApi: createOpenApiRegistry(), guard: new AuthThrottle().guard },
      { path: '', security: [ADMIN_SECURITY] },
    ),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(createLogger({ level: 'silent', name: 'test' })));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
