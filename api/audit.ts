import type { Request, RequestHandler } from 'express';
import { matchedRoute, type MatchedRoute } from './openapi';
import type { Logger } from '../infra/logger';
import type { AuditEntry, AuditResult, AuditStore } from '../store/audit-store';

const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function resultOf(status: number): AuditResult {
  if (status >= 500) return 'error';
  if (status >= 400) return 'rejected';
  return status === 202 ? 'queued' : 'ok';
}

const TARGET_KINDS: ReadonlyArray<[segment: string, kind: string]> = [
  ['/services', 'service'],
  ['/routers', 'router'],
];

/**
 * What the request acted on: the route's `:id`, else what it created — a service named in the body,
 * or the router whose id the answer carries.
 */
function targetOf(route: MatchedRoute | undefined, request: Request, answer: unknown): string | null {
  if (!route) return null;
  const kind = TARGET_KINDS.find(
    ([segment]) => route.path.includes(`${segment}/:id`) || route.path.endsWith(segment),
  )?.[1];
  if (kind === undefined) return null;
  const created =
    kind === 'service'
      ? (request.body as { serviceId?: unknown } | undefined)?.serviceId
      : (answer as { id?: unknown } | undefined)?.id;
  const id = route.params.id ?? (Number.isSafeInteger(created) ? String(created) : undefined);
  // Only an id the routes accept names a target; anything else in the path was refused anyway.
  return id !== undefined && /^[1-9]\d{0,15}$/.test(id) ? `${kind}:${id}` : null;
}

/**
 * One audit row per mutating request of an authenticated caller: who, which route, on what, and how
 * it ended. Bodies are never kept (they carry passwords). A failed audit write is logged and does not
 * fail the request it describes.
 */
export function auditMutations(
  store: AuditStore,
  actor: AuditEntry['actor'],
  logger: Logger,
): RequestHandler {
  return (request, response, next) => {
    if (!MUTATING_METHODS.has(request.method)) {
      next();
      return;
    }
    let answer: unknown;
    const send = response.json.bind(response);
    response.json = (body: unknown) => {
      answer = body;
      return send(body);
    };
    response.once('finish', () => {
      const route = matchedRoute(response);
      const entry: AuditEntry = {
        actor,
        action: `${request.method} ${route?.path ?? '(no route)'}`,
        target: targetOf(route, request, answer),
        result: resultOf(response.statusCode),
        status: response.statusCode,
        code: (answer as { error?: { code?: string } } | undefined)?.error?.code ?? null,
      };
      store
        .append(entry)
        .catch((error: unknown) =>
          logger.error({ err: error, action: entry.action }, 'audit row not written'),
        );
    });
    next();
  };
}
