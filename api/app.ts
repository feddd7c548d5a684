import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Database } from '../infra/database';
import type { Logger } from '../infra/logger';
import { requireBearerToken } from './auth';
import { errorHandler, notFoundHandler } from './errors';
import { adminMaintenanceRoutes } from './routes/admin-maintenance';
import { healthRoutes } from './routes/health';

export interface ApiDeps {
  db: Database;
  temporal: Client;
  taskQueue: string;
  adminToken: string;
  logger: Logger;
}

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));
  app.use(healthRoutes(deps));
  app.use('/v1/admin', requireBearerToken(deps.adminToken), adminMaintenanceRoutes(deps));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
