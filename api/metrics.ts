import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServicesStore } from '../store/services-store';
import { matchedRoute } from './openapi';

/**
 * The API's Prometheus metrics: requests by documented route, method and status, their latency, and
 * Node's process metrics. Routes are the documented patterns (`/v1/whmcs/services/:id/suspend`), never
 * raw paths, so the label set stays small whatever clients send.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'vpnflow_api_requests_total',
    help: 'API requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'vpnflow_api_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by route and status class',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });

  constructor(services?: Pick<ServicesStore, 'countByStatus'>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vpnflow_api_' });
    if (services) {
      // Read when Prometheus scrapes: one grouped count, never a stale copy.
      new Gauge({
        name: 'vpnflow_services',
        help: 'Services by status, from the database',
        labelNames: ['status'] as const,
        registers: [this.registry],
        async collect() {
          for (const [status, count] of Object.entries(await services.countByStatus()))
            this.set({ status }, count);
        },
      });
    }
  }

  readonly measure: RequestHandler = (request, response, next) => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = matchedRoute(response)?.path ?? 'unmatched';
      const status = String(response.statusCode);
      this.requests.inc({ route, method: request.method, status });
      this.latency.observe(
        { route, method: request.method, status_class: `${status[0]}xx` },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    });
    next();
  };
}

/**
 * Serves `GET /metrics` on a listener of its own, beside the API: Prometheus reaches it inside the
 * deployment's network, and it is never published with the API.
 */
export async function serveMetrics(registry: Registry, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 'not_found', message: 'Only GET /metrics is served here' } }));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
