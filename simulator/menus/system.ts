import type { Menu, MenuCommand } from '../menu';
import { anyText, readProperties } from '../properties';
import type { PrintedRow } from '../query';
import type { RouterState } from '../router-state';
import { formatDuration, formatId, formatRouterDate } from '../values';

const TOTAL_MEMORY = 1073741824;
const BUILD_TIME = Date.UTC(2025, 1, 27, 10, 34, 1);

export class SystemResourceMenu implements Menu {
  readonly path = '/system/resource';
  readonly commands: ReadonlyMap<string, MenuCommand> = new Map();

  constructor(private readonly state: RouterState) {}

  rows(): PrintedRow[] {
    const state = this.state;
    const sessions = state.sessions.size;
    return [
      new Map([
        ['uptime', formatDuration(state.uptime)],
        ['version', `${state.version} (stable)`],
        ['build-time', formatRouterDate(BUILD_TIME, state.isoDates)],
        ['factory-software', '7.1'],
        ['free-memory', String(TOTAL_MEMORY - 180_000_000 - sessions * 65_536)],
        ['total-memory', String(TOTAL_MEMORY)],
        ['cpu', 'Intel(R)'],
        ['cpu-count', '2'],
        ['cpu-frequency', '2400'],
        ['cpu-load', String(Math.min(100, 1 + Math.floor(sessions / 20)))],
        ['free-hdd-space', '96403456'],
        ['total-hdd-space', '134217728'],
        ['write-sect-since-reboot', '512'],
        ['write-sect-total', '512'],
        ['architecture-name', 'x86_64'],
        ['board-name', 'CHR'],
        ['platform', 'MikroTik'],
      ]),
    ];
  }
}

export class SystemIdentityMenu implements Menu {
  readonly path = '/system/identity';
  readonly commands: ReadonlyMap<string, MenuCommand>;

  constructor(private readonly state: RouterState) {
    this.commands = new Map<string, MenuCommand>([
      [
        'set',
        (request) => {
          const name = readProperties(request, new Map([['name', anyText]])).get('name');
          if (name !== undefined) state.identity = name;
          return undefined;
        },
      ],
    ]);
  }

  rows(): PrintedRow[] {
    return [new Map([['name', this.state.identity]])];
  }
}

export class SystemPackageMenu implements Menu {
  readonly path = '/system/package';
  readonly commands: ReadonlyMap<string, MenuCommand> = new Map();

  constructor(private readonly state: RouterState) {}

  rows(): PrintedRow[] {
    return [...this.state.packages.all()].map(
      (item) =>
        new Map([
          ['.id', formatId(item.id)],
          ['name', item.name],
          ['version', this.state.version],
          ['build-time', formatRouterDate(BUILD_TIME, this.state.isoDates)],
          ['disabled', 'false'],
        ]),
    );
  }
}
