import type { Menu, MenuCommand } from '../menu';
import { poolRanges } from '../ppp';
import { anyText, assignProperties, readProperties, selectorOf, type PropertySpecs } from '../properties';
import type { PrintedRow } from '../query';
import type { RouterState } from '../router-state';
import { ApiTrap, noMatchingValue } from '../trap';
import { formatId } from '../values';

export class IpPoolMenu implements Menu {
  readonly path = '/ip/pool';
  readonly commands: ReadonlyMap<string, MenuCommand>;

  constructor(private readonly state: RouterState) {
    const specs: PropertySpecs = new Map([
      ['name', anyText],
      [
        'ranges',
        (value: string) => {
          if (value.split(',').length !== poolRanges(value).length) throw noMatchingValue('ranges');
          return value;
        },
      ],
      [
        'next-pool',
        (value: string) => {
          if (value !== 'none' && !state.pools.findByName(value)) throw noMatchingValue('next-pool');
          return value;
        },
      ],
      ['comment', anyText],
    ]);
    this.commands = new Map<string, MenuCommand>([
      [
        'add',
        (request) => {
          const properties = readProperties(request, specs);
          const name = properties.get('name');
          if (!name) throw new ApiTrap('failure: pool name can not be empty');
          if (state.pools.findByName(name)) throw new ApiTrap('failure: pool with such name already exists');
          const values = new Map([
            ['name', name],
            ['ranges', properties.get('ranges') ?? ''],
          ]);
          assignProperties(values, properties);
          return formatId(state.pools.insert({ id: state.pools.allocateId(), values }).id);
        },
      ],
      [
        'set',
        (request) => {
          const properties = readProperties(request, specs);
          for (const pool of state.pools.resolve(selectorOf(request))) {
            assignProperties(pool.values, properties);
          }
          state.pools.namesChanged();
          return undefined;
        },
      ],
      [
        'remove',
        (request) => {
          readProperties(request, new Map());
          for (const pool of state.pools.resolve(selectorOf(request))) state.pools.delete(pool.id);
          return undefined;
        },
      ],
    ]);
  }

  rows(): PrintedRow[] {
    return [...this.state.pools.all()].map((pool) => {
      const row = new Map<string, string>([['.id', formatId(pool.id)]]);
      for (const key of ['name', 'ranges', 'next-pool', 'comment']) {
        const value = pool.values.get(key);
        if (value !== undefined) row.set(key, value);
      }
      return row;
    });
  }
}
