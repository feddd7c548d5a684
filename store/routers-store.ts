import type { Database } from '../infra/database';
import type { SecretBox } from '../infra/secret-box';
import type { RouterConnectionSpec } from '../routeros';

/** A router as the API shows it: everything but its API password. */
export interface RouterRecord {
  id: number;
  name: string;
  apiHost: string;
  apiPort: number;
  tls: boolean;
  /** SHA-256 of the router's certificate, 64 lowercase hex digits; null verifies the chain with CAs. */
  tlsFingerprint: string | null;
  apiUser: string;
  publicHostname: string;
  capacity: number;
  enabled: boolean;
  /** Set by an operator who accepts that the plain API (tls: false) sends the password in clear. */
  allowPlainApi: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface RouterSettings {
  name: string;
  apiHost: string;
  apiPort: number;
  tls: boolean;
  tlsFingerprint: string | null;
  apiUser: string;
  /** Plain text here only; it is sealed before it reaches the database. */
  apiPassword: string;
  publicHostname: string;
  capacity: number;
  enabled: boolean;
  allowPlainApi: boolean;
}

export interface RoutersStore {
  /** Fails with DuplicateRouterNameError when the name is taken. */
  create(settings: RouterSettings): Promise<RouterRecord>;
  list(): Promise<RouterRecord[]>;
  get(id: number): Promise<RouterRecord | undefined>;
  /** Undefined when there is no such router; fails with DuplicateRouterNameError on a taken name. */
  update(id: number, changes: Partial<RouterSettings>): Promise<RouterRecord | undefined>;
  setEnabled(id: number, enabled: boolean): Promise<RouterRecord | undefined>;
  /**
   * Takes a router out of service: refused with RouterInUseError while it carries live services. Its
   * row stays for the history of the services it carried; its free addresses go, its name is free.
   */
  retire(id: number): Promise<'retired' | 'not-found'>;
  /** How activities reach the router, with its password opened; undefined when there is no such router. */
  connectionSpec(id: number): Promise<RouterConnectionSpec | undefined>;
}

/** The stored API password cannot be opened (DATA_ENCRYPTION_KEY changed without the old key): an operator must fix it. */
export class UnusableRouterSettingsError extends Error {
  constructor(
    readonly routerId: number,
    reason: string,
  ) {
    super(`router ${routerId}: its stored API password cannot be opened (${reason}); set it again`);
    this.name = 'UnusableRouterSettingsError';
  }
}

export class RouterInUseError extends Error {
  constructor(
    readonly routerId: number,
    readonly liveServices: number,
  ) {
    super(`Router ${routerId} still carries ${liveServices} live services; terminate or move them first`);
    this.name = 'RouterInUseError';
  }
}

export class DuplicateRouterNameError extends Error {
  constructor(readonly routerName: string) {
    super(`A router named "${routerName}" already exists`);
    this.name = 'DuplicateRouterNameError';
  }
}

interface RouterRow {
  id: bigint;
  name: string;
  api_host: string;
  api_port: number;
  api_tls: boolean;
  tls_fingerprint: string | null;
  api_user: string;
  api_password_encrypted: string;
  public_hostname: string;
  capacity: number;
  enabled: boolean;
  allow_plain_api: boolean;
  created_at: Date;
  updated_at: Date;
}

const PUBLIC_COLUMNS = [
  'id',
  'name',
  'api_host',
  'api_port',
  'api_tls',
  'tls_fingerprint',
  'api_user',
  'public_hostname',
  'capacity',
  'enabled',
  'allow_plain_api',
  'created_at',
  'updated_at',
] as const;

type PublicRow = Pick<RouterRow, (typeof PUBLIC_COLUMNS)[number]>;

const COLUMN_OF: Record<Exclude<keyof RouterSettings, 'apiPassword'>, keyof RouterRow> = {
  name: 'name',
  apiHost: 'api_host',
  apiPort: 'api_port',
  tls: 'api_tls',
  tlsFingerprint: 'tls_fingerprint',
  apiUser: 'api_user',
  publicHostname: 'public_hostname',
  capacity: 'capacity',
  enabled: 'enabled',
  allowPlainApi: 'allow_plain_api',
};

const UNIQUE_VIOLATION = '23505';

function toRecord(row: PublicRow): RouterRecord {
  return {
    id: Number(row.id),
    name: row.name,
    apiHost: row.api_host,
    apiPort: row.api_port,
    tls: row.api_tls,
    tlsFingerprint: row.tls_fingerprint,
    apiUser: row.api_user,
    publicHostname: row.public_hostname,
    capacity: row.capacity,
    enabled: row.enabled,
    allowPlainApi: row.allow_plain_api,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function columnsOf(changes: Partial<RouterSettings>, secretBox: SecretBox): Partial<RouterRow> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(COLUMN_OF)) {
    const value = changes[key as keyof typeof COLUMN_OF];
    if (value !== undefined) row[column] = value;
  }
  if (changes.apiPassword !== undefined) row.api_password_encrypted = secretBox.seal(changes.apiPassword);
  return row as Partial<RouterRow>;
}

async function mapDuplicateName<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === UNIQUE_VIOLATION && constraint === 'routers_name_key' && name !== undefined)
      throw new DuplicateRouterNameError(name);
    throw error;
  }
}

export function createRoutersStore(db: Database, secretBox: SecretBox): RoutersStore {
  // A retired router is gone for every purpose but the history of its services.
  const routers = () => db('routers').whereNull('retired_at');

  const store: RoutersStore = {
    async create(settings) {
      const [row] = await mapDuplicateName(settings.name, () =>
        db('routers').insert(columnsOf(settings, secretBox)).returning<PublicRow[]>(PUBLIC_COLUMNS),
      );
      return toRecord(row);
    },

    async list() {
      const rows: PublicRow[] = await routers().select(PUBLIC_COLUMNS).orderBy('id');
      return rows.map(toRecord);
    },

    async get(id) {
      const row: PublicRow | undefined = await routers().select(PUBLIC_COLUMNS).where({ id }).first();
      return row && toRecord(row);
    },

    async update(id, changes) {
      const columns = columnsOf(changes, secretBox);
      if (Object.keys(columns).length === 0) return store.get(id);
      const [row] = await mapDuplicateName(changes.name, () =>
        routers()
          .where({ id })
          .update({ ...columns, updated_at: db.fn.now() })
          .returning<PublicRow[]>(PUBLIC_COLUMNS),
      );
      return row && toRecord(row);
    },

    setEnabled(id, enabled) {
      return store.update(id, { enabled });
    },

    async retire(id) {
      return db.transaction(async (trx) => {
        const router = await trx('routers').where({ id }).whereNull('retired_at').forUpdate().first('id');
        if (!router) return 'not-found';
        const [{ count }] = await trx('services')
          .where({ router_id: id })
          .whereNot({ status: 'terminated' })
          .count<{ count: string }[]>('* as count');
        if (Number(count) > 0) throw new RouterInUseError(id, Number(count));
        await trx('router_addresses')
          .where({ router_id: id })
          .whereNotExists(trx('services').whereRaw('services.address_id = router_addresses.id'))
          .delete();
        await trx('routers')
          .where({ id })
          .update({ retired_at: trx.fn.now(), enabled: false, updated_at: trx.fn.now() });
        return 'retired';
      });
    },

    async connectionSpec(id) {
      const row: RouterRow | undefined = await routers().where({ id }).first();
      if (!row) return undefined;
      let password: string;
      try {
        password = secretBox.open(row.api_password_encrypted);
      } catch (error) {
        throw new UnusableRouterSettingsError(id, (error as Error).message);
      }
      return {
        host: row.api_host,
        port: row.api_port,
        tls: row.api_tls ? (row.tls_fingerprint ? { fingerprint: row.tls_fingerprint } : {}) : false,
        user: row.api_user,
        password,
      };
    },
  };
  return store;
}
