import {
  RouterForeignItemError,
  RouterNotFoundError,
  RouterProtocolError,
  RouterTrapError,
  RouterUnsupportedError,
} from './errors';
import {
  formatRatePair,
  normalizeQueueTarget,
  parseCounterPair,
  parseRatePair,
  parseRouterBoolean,
  parseRouterOsVersion,
  parseUptimeSeconds,
} from './parse';
import type { RouterCaller } from './router-connection-pool';
import type {
  ActiveSession,
  EnsureResult,
  ItemOwner,
  QueueCounters,
  RemoveOutcome,
  RouterClient,
  RouterInfo,
  RouterRow,
  SecretSpec,
  SecretState,
  StaticQueueSpec,
  StaticQueueState,
} from './types';

const SECRET_PROPERTIES = [
  '.id',
  'name',
  'password',
  'service',
  'profile',
  'remote-address',
  'comment',
  'disabled',
  'last-logged-out',
  'last-caller-id',
  'last-disconnect-reason',
];
const QUEUE_PROPERTIES = ['.id', 'name', 'target', 'max-limit', 'comment', 'disabled', 'dynamic'];
const COUNTER_PROPERTIES = ['name', 'target', 'comment', 'bytes', 'packets'];
const SESSION_PROPERTIES = ['.id', 'name', 'service', 'caller-id', 'address', 'uptime'];

const proplist = (properties: readonly string[]): string => `=.proplist=${properties.join(',')}`;

/**
 * Traps that mean another writer got there between our read and our write ("already exists" after
 * a print that found nothing, "no such item" after one that found it): reading again converges.
 */
function isRaceTrap(error: unknown): boolean {
  return (
    error instanceof RouterTrapError &&
    /already (exists|have)|no such item|same name/i.test(error.routerMessage)
  );
}

/** The typed RouterOS operations, over any RouterCaller (normally a RouterConnectionPool). */
export class RouterOsClient implements RouterClient {
  constructor(private readonly caller: RouterCaller) {}

  async routerInfo(): Promise<RouterInfo> {
    const [identityRows, resourceRows] = await Promise.all([
      this.caller.call(['/system/identity/print']),
      this.caller.call(['/system/resource/print', proplist(['uptime', 'version', 'board-name'])]),
    ]);
    const resource = resourceRows[0] ?? {};
    const version = parseRouterOsVersion(resource.version ?? '');
    if (!version) throw this.protocolError(`unreadable RouterOS version ${JSON.stringify(resource.version)}`);
    if (version.major < 7) {
      throw new RouterUnsupportedError(
        this.caller.label,
        `RouterOS ${version.number} is not supported: vpnflow needs RouterOS 7 or later`,
      );
    }
    return {
      identity: identityRows[0]?.name ?? '',
      version: version.number,
      channel: version.channel,
      uptimeSeconds: this.uptimeOf(resource),
      board: resource['board-name'] ?? '',
    };
  }

  ensureSecret(spec: SecretSpec, owner: ItemOwner): Promise<EnsureResult> {
    return this.convergeOnRace(() => this.ensureSecretOnce(spec, owner));
  }

  async readSecret(name: string): Promise<SecretState | undefined> {
    const row = await this.findSecretRow(name);
    return row && toSecretState(row);
  }

  async removeSecret(name: string, owner: ItemOwner): Promise<RemoveOutcome> {
    const row = await this.findSecretRow(name);
    if (!row) return 'absent';
    if (!owner(row.comment)) return 'foreign';
    return (await this.removeById('/ppp/secret/remove', row['.id'])) ? 'removed' : 'absent';
  }

  async setSecretDisabled(name: string, disabled: boolean): Promise<void> {
    const row = await this.findSecretRow(name);
    if (!row) throw new RouterNotFoundError(this.caller.label, `no PPP secret named ${JSON.stringify(name)}`);
    if (parseRouterBoolean(row.disabled) === disabled) return;
    await this.caller.call(['/ppp/secret/set', `=.id=${row['.id']}`, `=disabled=${disabled ? 'yes' : 'no'}`]);
  }

  ensureStaticQueue(spec: StaticQueueSpec, owner: ItemOwner): Promise<EnsureResult> {
    return this.convergeOnRace(() => this.ensureStaticQueueOnce(spec, owner));
  }

  async readStaticQueue(name: string): Promise<StaticQueueState | undefined> {
    const row = await this.findStaticQueueRow(name, undefined);
    return row && this.toQueueState(row);
  }

  async removeStaticQueue(name: string, owner: ItemOwner): Promise<RemoveOutcome> {
    const row = await this.findStaticQueueRow(name, undefined);
    if (!row) return 'absent';
    if (!owner(row.comment)) return 'foreign';
    return (await this.removeById('/queue/simple/remove', row['.id'])) ? 'removed' : 'absent';
  }

  async kickSessions(name: string): Promise<number> {
    const rows = await this.caller.call(['/ppp/active/print', `?name=${name}`, proplist(['.id'])]);
    const removed = await Promise.all(rows.map((row) => this.removeById('/ppp/active/remove', row['.id'])));
    return removed.filter(Boolean).length;
  }

  async listActiveSessions(): Promise<ActiveSession[]> {
    const rows = await this.caller.call(['/ppp/active/print', proplist(SESSION_PROPERTIES)]);
    return rows.map((row) => ({
      id: row['.id'],
      name: row.name,
      service: row.service ?? '',
      callerId: row['caller-id'],
      address: row.address,
      uptimeSeconds: row.uptime === undefined ? undefined : parseUptimeSeconds(row.uptime),
    }));
  }

  async readQueueCounters(): Promise<QueueCounters[]> {
    return this.countersOf(
      await this.caller.call(['/queue/simple/print', '?dynamic=false', proplist(COUNTER_PROPERTIES)]),
    );
  }

  async readQueueCountersOf(names: readonly string[]): Promise<QueueCounters[]> {
    if (names.length === 0) return [];
    // `?#|||` ors the names' results together; the last word is and-ed with it implicitly.
    const anyName = names.length > 1 ? [`?#${'|'.repeat(names.length - 1)}`] : [];
    return this.countersOf(
      await this.caller.call([
        '/queue/simple/print',
        ...names.map((name) => `?name=${name}`),
        ...anyName,
        '?dynamic=false',
        proplist(COUNTER_PROPERTIES),
      ]),
    );
  }

  async readUptimeSeconds(): Promise<number> {
    const [resource] = await this.caller.call(['/system/resource/print', proplist(['uptime'])]);
    return this.uptimeOf(resource ?? {});
  }

  private uptimeOf(resource: RouterRow): number {
    const uptimeSeconds = parseUptimeSeconds(resource.uptime ?? '');
    if (uptimeSeconds === undefined)
      throw this.protocolError(`unreadable uptime ${JSON.stringify(resource.uptime)}`);
    return uptimeSeconds;
  }

  private countersOf(rows: RouterRow[]): QueueCounters[] {
    return rows.map((row) => {
      const bytes = parseCounterPair(row.bytes ?? '');
      const packets = parseCounterPair(row.packets ?? '');
      if (!bytes || !packets) {
        throw this.protocolError(`unreadable counters on queue ${JSON.stringify(row.name)}: ${row.bytes}`);
      }
      return {
        name: row.name,
        target: row.target ?? '',
        comment: row.comment,
        uploadBytes: bytes.upload,
        downloadBytes: bytes.download,
        uploadPackets: packets.upload,
        downloadPackets: packets.download,
      };
    });
  }

  private async ensureSecretOnce(spec: SecretSpec, owner: ItemOwner): Promise<EnsureResult> {
    const desired: RouterRow = {
      name: spec.name,
      password: spec.password,
      service: spec.service,
      profile: spec.profile,
      'remote-address': spec.remoteAddress,
      comment: spec.comment,
    };
    const row = await this.findSecretRow(spec.name);
    if (!row) {
      const id = await this.add('/ppp/secret/add', { ...desired, disabled: spec.disabled ? 'yes' : 'no' });
      return { id, outcome: 'created' };
    }
    if (!owner(row.comment)) throw this.foreign('PPP secret', spec.name);
    const changes = Object.fromEntries(
      Object.entries(desired).filter(([property, value]) => (row[property] ?? '') !== value),
    );
    if (parseRouterBoolean(row.disabled) !== spec.disabled) changes.disabled = spec.disabled ? 'yes' : 'no';
    return this.applyChanges('/ppp/secret/set', row['.id'], changes);
  }

  private async ensureStaticQueueOnce(spec: StaticQueueSpec, owner: ItemOwner): Promise<EnsureResult> {
    const desired: RouterRow = {
      name: spec.name,
      target: normalizeQueueTarget(spec.target),
      'max-limit': formatRatePair(spec.maxLimit),
      comment: spec.comment,
    };
    const row = await this.findStaticQueueRow(spec.name, spec.comment);
    if (!row) return { id: await this.add('/queue/simple/add', desired), outcome: 'created' };
    if (!owner(row.comment)) throw this.foreign('simple queue', spec.name);
    const current = this.toQueueState(row);
    const changes: RouterRow = {};
    if (current.name !== desired.name) changes.name = desired.name;
    if (normalizeQueueTarget(current.target) !== desired.target) changes.target = desired.target;
    if (
      current.maxLimit.upload !== spec.maxLimit.upload ||
      current.maxLimit.download !== spec.maxLimit.download
    ) {
      changes['max-limit'] = desired['max-limit'];
    }
    if ((current.comment ?? '') !== desired.comment) changes.comment = desired.comment;
    return this.applyChanges('/queue/simple/set', row['.id'], changes);
  }

  private async findSecretRow(name: string): Promise<RouterRow | undefined> {
    const rows = await this.caller.call(['/ppp/secret/print', `?name=${name}`, proplist(SECRET_PROPERTIES)]);
    return rows[0];
  }

  /** By name first; by comment when a queue was renamed by hand but still carries our tag. */
  private async findStaticQueueRow(
    name: string,
    comment: string | undefined,
  ): Promise<RouterRow | undefined> {
    const isStatic = (row: RouterRow): boolean => !parseRouterBoolean(row.dynamic);
    const byName = await this.caller.call([
      '/queue/simple/print',
      `?name=${name}`,
      proplist(QUEUE_PROPERTIES),
    ]);
    const named = byName.find(isStatic);
    if (named || !comment) return named;
    const byComment = await this.caller.call([
      '/queue/simple/print',
      `?comment=${comment}`,
      proplist(QUEUE_PROPERTIES),
    ]);
    return byComment.find(isStatic);
  }

  private async add(command: string, attributes: RouterRow): Promise<string> {
    const rows = await this.caller.call([command, ...attributeWords(attributes)]);
    const id = rows.find((row) => row.ret !== undefined)?.ret;
    if (id === undefined) throw this.protocolError(`${command} returned no id`);
    return id;
  }

  private async applyChanges(command: string, id: string, changes: RouterRow): Promise<EnsureResult> {
    if (Object.keys(changes).length === 0) return { id, outcome: 'unchanged' };
    await this.caller.call([command, `=.id=${id}`, ...attributeWords(changes)]);
    return { id, outcome: 'updated' };
  }

  /** False when the item was already gone: removal is idempotent. */
  private async removeById(command: string, id: string): Promise<boolean> {
    try {
      await this.caller.call([command, `=.id=${id}`]);
      return true;
    } catch (error) {
      if (error instanceof RouterTrapError && /no such item/i.test(error.routerMessage)) return false;
      throw error;
    }
  }

  private async convergeOnRace(attempt: () => Promise<EnsureResult>): Promise<EnsureResult> {
    try {
      return await attempt();
    } catch (error) {
      if (!isRaceTrap(error)) throw error;
      return attempt();
    }
  }

  private toQueueState(row: RouterRow): StaticQueueState {
    const maxLimit = parseRatePair(row['max-limit'] ?? '0/0');
    if (!maxLimit) throw this.protocolError(`unreadable max-limit ${JSON.stringify(row['max-limit'])}`);
    return {
      id: row['.id'],
      name: row.name,
      target: row.target ?? '',
      maxLimit,
      comment: row.comment,
      disabled: parseRouterBoolean(row.disabled),
    };
  }

  private foreign(item: string, name: string): RouterForeignItemError {
    return new RouterForeignItemError(
      this.caller.label,
      `a ${item} named ${JSON.stringify(name)} exists that vpnflow did not create for this account; it was left as it is`,
    );
  }

  private protocolError(message: string): RouterProtocolError {
    return new RouterProtocolError(this.caller.label, message);
  }
}

function attributeWords(attributes: RouterRow): string[] {
  return Object.entries(attributes).map(([property, value]) => `=${property}=${value}`);
}

function toSecretState(row: RouterRow): SecretState {
  return {
    id: row['.id'],
    name: row.name,
    password: row.password,
    service: row.service ?? 'any',
    profile: row.profile ?? 'default',
    remoteAddress: row['remote-address'],
    comment: row.comment,
    disabled: parseRouterBoolean(row.disabled),
    lastLoggedOut: row['last-logged-out'],
    lastCallerId: row['last-caller-id'],
    lastDisconnectReason: row['last-disconnect-reason'],
  };
}
