import type { Database } from '../infra/database';

export type AuditResult = 'ok' | 'queued' | 'rejected' | 'error';

/** One mutating request of WHMCS or an administrator, as the audit log keeps it: never its body. */
export interface AuditEntry {
  actor: 'whmcs' | 'admin';
  /** `POST /v1/whmcs/services/:id/suspend`: the route, not the raw path. */
  action: string;
  /** `service:42`, `router:3`, or null for actions on no one thing. */
  target: string | null;
  result: AuditResult;
  status: number;
  /** The error code of a refused or failed request. */
  code: string | null;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
}

export interface AuditQuery {
  limit: number;
  /** Only entries older than this id (the last of the previous page). */
  before?: number;
  target?: string;
}

export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  list(query: AuditQuery): Promise<AuditRecord[]>;
}

interface AuditRow {
  id: bigint;
  at: Date;
  actor: 'whmcs' | 'admin';
  action: string;
  target: string | null;
  result: AuditResult;
  detail: { status: number; code: string | null } | null;
}

export function createAuditStore(db: Database): AuditStore {
  return {
    async append(entry) {
      await db('audit_log').insert({
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        result: entry.result,
        detail: JSON.stringify({ status: entry.status, code: entry.code }),
      });
    },
    async list({ limit, before, target }) {
      const query = db('audit_log').orderBy('id', 'desc').limit(limit);
      if (before !== undefined) query.where('id', '<', before);
      if (target !== undefined) query.where({ target });
      const rows: AuditRow[] = await query.select(
        'id',
        'at',
        'actor',
        'action',
        'target',
        'result',
        'detail',
      );
      return rows.map((row) => ({
        id: Number(row.id),
        at: row.at.toISOString(),
        actor: row.actor,
        action: row.action,
        target: row.target,
        result: row.result,
        status: row.detail?.status ?? 0,
        code: row.detail?.code ?? null,
      }));
    },
  };
}
