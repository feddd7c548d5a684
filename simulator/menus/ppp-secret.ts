import type { Menu, MenuCommand } from '../menu';
import type { Secret } from '../model';
import { PPP_SERVICES } from '../ppp';
import {
  anyText,
  normalizeProperties,
  assignProperties,
  readProperties,
  selectorOf,
  type PropertySpecs,
} from '../properties';
import type { PrintedRow } from '../query';
import type { ApiRequest } from '../request';
import type { RouterState } from '../router-state';
import { ApiTrap, noMatchingValue } from '../trap';
import { formatId, formatRouterDate, parseBoolean, parseIpv4, parseUnsigned } from '../values';

/** Print order of configured properties (RouterOS 7). */
const PRINT_ORDER = [
  'name',
  'service',
  'caller-id',
  'password',
  'profile',
  'local-address',
  'remote-address',
  'routes',
  'ipv6-routes',
  'remote-ipv6-prefix',
  'limit-bytes-in',
  'limit-bytes-out',
] as const;

const DEFAULTS: ReadonlyArray<[string, string]> = [
  ['service', 'any'],
  ['password', ''],
  ['profile', 'default'],
  ['limit-bytes-in', '0'],
  ['limit-bytes-out', '0'],
  ['disabled', 'false'],
];

export class PppSecretMenu implements Menu {
  readonly path = '/ppp/secret';
  readonly commands: ReadonlyMap<string, MenuCommand>;
  private readonly specs: PropertySpecs;

  constructor(private readonly state: RouterState) {
    const address = (property: string) => (value: string) => {
      if (value !== '' && parseIpv4(value) === undefined && !state.pools.findByName(value)) {
        throw noMatchingValue(property);
      }
      return value;
    };
    this.specs = new Map([
      ['name', anyText],
      ['password', anyText],
      [
        'service',
        (value: string) => {
          if (!(PPP_SERVICES as ReadonlyArray<string>).includes(value)) throw noMatchingValue('service');
          return value;
        },
      ],
      [
        'profile',
        (value: string) => {
          if (!state.profiles.findByName(value)) throw noMatchingValue('profile');
          return value;
        },
      ],
      ['local-address', address('local-address')],
      ['remote-address', address('remote-address')],
      ['caller-id', anyText],
      ['comment', anyText],
      ['disabled', (value: string) => parseBoolean('disabled', value)],
      ['limit-bytes-in', (value: string) => String(parseUnsigned('limit-bytes-in', value))],
      ['limit-bytes-out', (value: string) => String(parseUnsigned('limit-bytes-out', value))],
      ['routes', anyText],
      ['ipv6-routes', anyText],
      ['remote-ipv6-prefix', anyText],
    ]);
    this.commands = new Map<string, MenuCommand>([
      ['add', (request) => this.add(request)],
      ['set', (request) => this.set(request)],
      ['remove', (request) => this.remove(request)],
      ['enable', (request) => this.setDisabled(request, 'false')],
      ['disable', (request) => this.setDisabled(request, 'true')],
    ]);
  }

  add(request: ApiRequest): string {
    return formatId(this.create(readProperties(request, this.specs)).id);
  }

  /** Adds a secret from already normalized properties (the in-process API uses this too). */
  create(properties: ReadonlyMap<string, string>): Secret {
    const name = properties.get('name');
    if (name === undefined || name === '') throw new ApiTrap('failure: secret name can not be empty');
    if (this.state.secrets.findByName(name))
      throw new ApiTrap('failure: secret with the same name already exists');
    const values = new Map(DEFAULTS);
    assignProperties(values, properties);
    return this.state.secrets.insert({ id: this.state.secrets.allocateId(), values });
  }

  /** Checks properties given through the in-process API as if they came in a command. */
  normalize(properties: ReadonlyMap<string, string>): Map<string, string> {
    return normalizeProperties(properties, this.specs);
  }

  private set(request: ApiRequest): undefined {
    const properties = readProperties(request, this.specs);
    const secrets = this.state.secrets.resolve(selectorOf(request));
    const newName = properties.get('name');
    if (newName !== undefined) {
      const holder = this.state.secrets.findByName(newName);
      if (newName === '') throw new ApiTrap('failure: secret name can not be empty');
      if ((holder && holder !== secrets[0]) || secrets.length > 1) {
        throw new ApiTrap('failure: secret with the same name already exists');
      }
    }
    for (const secret of secrets) assignProperties(secret.values, properties);
    this.state.secrets.namesChanged();
    return undefined;
  }

  private remove(request: ApiRequest): undefined {
    readProperties(request, new Map());
    for (const secret of this.state.secrets.resolve(selectorOf(request)))
      this.state.secrets.delete(secret.id);
    return undefined;
  }

  private setDisabled(request: ApiRequest, disabled: 'true' | 'false'): undefined {
    readProperties(request, new Map());
    for (const secret of this.state.secrets.resolve(selectorOf(request)))
      secret.values.set('disabled', disabled);
    return undefined;
  }

  rows(): PrintedRow[] {
    return [...this.state.secrets.all()].map((secret) => this.row(secret));
  }

  row(secret: Secret): PrintedRow {
    const row = new Map<string, string>([['.id', formatId(secret.id)]]);
    for (const key of PRINT_ORDER) {
      const value = secret.values.get(key);
      if (value !== undefined) row.set(key, value);
    }
    if (secret.lastLoggedOut !== undefined) {
      row.set('last-logged-out', formatRouterDate(secret.lastLoggedOut, this.state.isoDates));
    }
    if (secret.lastCallerId !== undefined) row.set('last-caller-id', secret.lastCallerId);
    if (secret.lastDisconnectReason !== undefined)
      row.set('last-disconnect-reason', secret.lastDisconnectReason);
    row.set('disabled', secret.values.get('disabled') ?? 'false');
    const comment = secret.values.get('comment');
    if (comment !== undefined) row.set('comment', comment);
    return row;
  }
}
