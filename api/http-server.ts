import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';

export interface ServerLimits {
  /** A client must have sent all its headers within this. */
  headersTimeoutMs: number;
  /** ...and its whole request; commands answer within 15 s, so this leaves room. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Connections beyond this are refused, so slow clients cannot take every socket. */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1_000,
};

/** The API's HTTP server: slow or idle clients are cut off instead of holding a connection for minutes. */
export async function listen(
  app: RequestListener,
  port: number,
  host: string,
  limits: ServerLimits = DEFAULT_SERVER_LIMITS,
): Promise<Server> {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node checks the two timeouts on this interval (30 s by default), which would stretch them.
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
