import type { Menu, MenuCommand } from '../menu';
import type { Profile } from '../model';
import { anyText, normalizeProperties, readProperties, selectorOf, type PropertySpecs } from '../properties';
import type { PrintedRow } from '../query';
import type { ApiRequest } from '../request';
import type { RouterState } from '../router-state';
import { ApiTrap, noMatchingValue } from '../trap';
import { formatId, parseIpv4, parseRateLimit } from '../values';

const PRINT_ORDER = [
  'name',
  'local-address',
  'remote-address',
  'use-encryption',
  'only-one',
  'change-tcp-mss',
  'rate-limit',
  'address-list',
  'on-up',
  'on-down',
] as const;

const choice =
  (property: string, allowed: ReadonlyArray<string>) =>
  (value: string): string => {
    const canonical = value === 'true' ? 'yes' : value === 'false' ? 'no' : value;
    if (!allowed.includes(canonical)) throw noMatchingValue(property);
    return canonical;
  };

export class PppProfileMenu implements Menu {
  readonly path = '/ppp/profile';
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
      ['local-address', address('local-address')],
      ['remote-address', address('remote-address')],
      [
        'rate-limit',
        (value: string) => {
          if (value !== '') parseRateLimit(value);
          return value;
        },
      ],
      ['use-encryption', choice('use-encryption', ['default', 'yes', 'no', 'required'])],
      ['only-one', choice('only-one', ['default', 'yes', 'no'])],
      ['change-tcp-mss', choice('change-tcp-mss', ['default', 'yes', 'no'])],
      ['address-list', anyText],
      ['on-up', anyText],
      ['on-down', anyText],
      ['comment', anyText],
    ]);
    this.commands = new Map<string, MenuCommand>([
      ['add', (request) => formatId(this.create(readProperties(request, this.specs)).id)],
      ['set', (request) => this.set(request)],
      ['remove', (request) => this.remove(request)],
    ]);
  }

  create(properties: ReadonlyMap<string, string>): Profile {
    const name = properties.get('name');
    if (name === undefined || name === '') throw new ApiTrap('failure: profile name can not be empty');
    if (this.state.profiles.findByName(name)) {
      throw new ApiTrap('failure: profile with the same name already exists');
    }
    const values = new Map([
      ['use-encryption', 'default'],
      ['only-one', 'default'],
      ['change-tcp-mss', 'default'],
    ]);
    for (const [key, value] of properties) if (value !== '' || key === 'name') values.set(key, value);
    return this.state.profiles.insert({ id: this.state.profiles.allocateId(), builtIn: false, values });
  }

  /** Checks properties given through the in-process API as if they came in a command. */
  normalize(properties: ReadonlyMap<string, string>): Map<string, string> {
    return normalizeProperties(properties, this.specs);
  }

  private set(request: ApiRequest): undefined {
    const properties = readProperties(request, this.specs);
    const profiles = this.state.profiles.resolve(selectorOf(request));
    const newName = properties.get('name');
    if (newName !== undefined) {
      if (profiles.some((profile) => profile.builtIn))
        throw new ApiTrap('failure: can not rename default profile');
      const holder = this.state.profiles.findByName(newName);
      if ((holder && holder !== profiles[0]) || profiles.length > 1) {
        throw new ApiTrap('failure: profile with the same name already exists');
      }
    }
    for (const profile of profiles) {
      for (const [key, value] of properties) {
        if (value === '' && key !== 'name') profile.values.delete(key);
        else profile.values.set(key, value);
      }
    }
    this.state.profiles.namesChanged();
    return undefined;
  }

  private remove(request: ApiRequest): undefined {
    readProperties(request, new Map());
    const profiles = this.state.profiles.resolve(selectorOf(request));
    if (profiles.some((profile) => profile.builtIn))
      throw new ApiTrap('failure: can not remove default profile');
    for (const profile of profiles) this.state.profiles.delete(profile.id);
    return undefined;
  }

  rows(): PrintedRow[] {
    return [...this.state.profiles.all()].map((profile) => {
      const row = new Map<string, string>([['.id', formatId(profile.id)]]);
      for (const key of PRINT_ORDER) {
        const value = profile.values.get(key);
        if (value !== undefined) row.set(key, value);
      }
      row.set('default', profile.builtIn ? 'true' : 'false');
      const comment = profile.values.get('comment');
      if (comment !== undefined) row.set('comment', comment);
      return row;
    });
  }
}
