import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { DemoAccount } from './demo';
import { SessionRefused } from './ppp';
import type { SimulatedRouter } from './router';

export interface ControlledRouter {
  readonly router: SimulatedRouter;
  readonly accounts: ReadonlyArray<DemoAccount>;
}

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offline') }),
  z.object({ kind: z.literal('stall') }),
  z.object({ kind: z.literal('drop-mid-reply') }),
  z.object({ kind: z.literal('stall-mid-reply') }),
  z.object({ kind: z.literal('fatal'), reason: z.string().optional() }),
  z.object({ kind: z.literal('latency'), milliseconds: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('trap'),
    command: z.string().startsWith('/'),
    message: z.string(),
    category: z.number().int().min(0).max(7).optional(),
  }),
]);
const sessionSchema = z.object({
  name: z.string(),
  password: z.string(),
  service: z.string().optional(),
  callerId: z.string().optional(),
});
const advanceSchema = z.object({ milliseconds: z.number().int().nonnegative() });

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function describe(entry: ControlledRouter, index: number) {
  const { router } = entry;
  return {
    index,
    identity: router.identity,
    version: router.version,
    host: router.host,
    apiPort: router.apiPort,
    tlsPort: router.tlsPort ?? null,
    tlsFingerprint: router.tlsFingerprint ?? null,
    apiUser: router.apiUser,
    apiPassword: router.apiPassword,
    uptimeMs: router.uptime,
    fault: router.fault ?? null,
    activeSessions: router.activeSessions(),
    accounts: entry.accounts,
  };
}

/**
 * JSON control of running routers:
 *   GET /routers, GET /routers/:i, GET /routers/:i/ground-truth,
 *   POST /routers/:i/sessions {name,password,service?,callerId?}, DELETE /routers/:i/sessions/:name,
 *   POST /advance {milliseconds} (all routers), POST /routers/:i/advance {milliseconds},
 *   POST /routers/:i/reboot, PUT /routers/:i/fault {kind,...}, DELETE /routers/:i/fault.
 */
export function createControlServer(routers: ReadonlyArray<ControlledRouter>): Server {
  const routerAt = (text: string): ControlledRouter => {
    const entry = routers[Number(text)];
    if (!/^\d+$/.test(text) || !entry) throw new HttpError(404, `no router ${text}`);
    return entry;
  };

  const route = async (method: string, path: string[], request: IncomingMessage): Promise<unknown> => {
    const [first, index, sub, name] = path;
    if (method === 'GET' && first === 'routers' && index === undefined) return routers.map(describe);
    if (method === 'POST' && first === 'advance' && index === undefined) {
      const { milliseconds } = advanceSchema.parse(await readJson(request));
      for (const entry of routers) entry.router.advance(milliseconds);
      return { advancedMs: milliseconds };
    }
    if (first !== 'routers' || index === undefined) throw new HttpError(404, 'not found');
    const entry = routerAt(index);
    const router = entry.router;
    if (method === 'GET' && sub === undefined) return describe(entry, Number(index));
    if (method === 'GET' && sub === 'ground-truth') {
      const names = new Set([
        ...entry.accounts.map((account) => account.name),
        ...router.accountsWithTraffic(),
      ]);
      return Object.fromEntries(
        [...names].map((account) => {
          const truth = router.groundTruth(account);
          return [
            account,
            { uploadBytes: String(truth.uploadBytes), downloadBytes: String(truth.downloadBytes) },
          ];
        }),
      );
    }
    if (method === 'POST' && sub === 'sessions') {
      const session = sessionSchema.parse(await readJson(request));
      try {
        router.connectSession(session.name, session.password, session);
      } catch (error) {
        if (error instanceof SessionRefused) throw new HttpError(409, error.message);
        throw error;
      }
      return { connected: session.name };
    }
    if (method === 'DELETE' && sub === 'sessions' && name !== undefined) {
      if (!router.kickSession(decodeURIComponent(name))) throw new HttpError(404, `no session ${name}`);
      return { kicked: decodeURIComponent(name) };
    }
    if (method === 'POST' && sub === 'advance') {
      const { milliseconds } = advanceSchema.parse(await readJson(request));
      router.advance(milliseconds);
      return { advancedMs: milliseconds };
    }
    if (method === 'POST' && sub === 'reboot') {
      router.reboot();
      return { rebooted: true };
    }
    if (method === 'PUT' && sub === 'fault') {
      router.setFault(faultSchema.parse(await readJson(request)));
      return { fault: router.fault };
    }
    if (method === 'DELETE' && sub === 'fault') {
      router.setFault(undefined);
      return { fault: null };
    }
    throw new HttpError(404, 'not found');
  };

  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://control').pathname.split('/').filter(Boolean);
    route(request.method ?? 'GET', path, request).then(
      (body) => send(response, 200, body),
      (error: unknown) => {
        if (error instanceof HttpError) send(response, error.status, { error: error.message });
        else if (error instanceof z.ZodError)
          send(response, 400, { error: 'invalid body', issues: error.issues });
        else if (error instanceof SyntaxError) send(response, 400, { error: 'body is not JSON' });
        else send(response, 500, { error: String(error) });
      },
    );
  });
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : JSON.parse(text);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
