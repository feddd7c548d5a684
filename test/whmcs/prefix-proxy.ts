import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy that serves the API under a path prefix, as docs/whmcs.md shows for nginx: only
 * requests under the prefix pass, with exactly the prefix stripped and everything else (headers, body)
 * unchanged.
 */
export async function startPrefixProxy(
  apiUrl: string,
  prefix: string,
): Promise<{ url: string; close(): void }> {
  const api = new URL(apiUrl);
  const server: Server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    if (!path.startsWith(`${prefix}/`)) {
      outgoing.writeHead(404).end();
      return;
    }
    const forwarded = request(
      {
        host: api.hostname,
        port: api.port,
        method: incoming.method,
        path: path.slice(prefix.length),
        headers: { ...incoming.headers, host: api.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}
