import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createControlServer, type SimulatedRouter } from '../../simulator';

/**
 * The simulator's control endpoint for the PHP tests, plus what they check on the router that the
 * shared endpoint does not print, `GET /routers/:i/secrets` and `GET /routers/:i/queues`, and
 * `POST /routers/:i/secrets {name, password}`: an account someone else made on the router.
 */
export async function startRouterControl(routers: SimulatedRouter[]): Promise<{ url: string; close(): void }> {
  const control = createControlServer(routers.map((router) => ({ router, accounts: [] })));
  const [controlHandler] = control.listeners('request') as Array<
    (request: IncomingMessage, response: ServerResponse) => void
  >;
  const server: Server = createServer((request, response) => {
    const match = /^\/routers\/(\d+)\/(secrets|queues)$/.exec(request.url ?? '');
    const router = match ? routers[Number(match[1])] : undefined;
    if (request.method === 'GET' && match && router) {
      respond(response, match[2] === 'secrets' ? router.secrets() : router.queues());
      return;
    }
    if (request.method === 'POST' && match?.[2] === 'secrets' && router) {
      void readJson(request).then((secret) => respond(response, { id: router.addSecret(secret) }));
      return;
    }
    controlHandler(request, response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

function respond(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<{ name: string; password: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { name: string; password: string };
}
