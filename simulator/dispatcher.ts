import type { Menu } from './menu';
import { matchesQuery, validateQueries, type PrintedRow } from './query';
import type { ApiRequest } from './request';
import type { RouterState } from './router-state';
import { ApiTrap, noSuchCommand, noSuchMenu, TrapCategory, unknownParameter } from './trap';

/** A reply sentence as byte-string words, before the connection adds `.tag`. */
export type ReplySentence = string[];

export type CommandResult =
  | { readonly kind: 'reply'; readonly sentences: ReplySentence[] }
  /** `print =interval=`: rows now and again every interval until `/cancel`. */
  | { readonly kind: 'repeat'; readonly intervalMs: number; readonly produce: () => ReplySentence[] };

const PRINT_OPTIONS = new Set([
  '.proplist',
  'count-only',
  'interval',
  'detail',
  'stats',
  'without-paging',
  'terse',
]);

export class CommandDispatcher {
  private readonly menus = new Map<string, Menu>();
  private readonly directories = new Set<string>();

  constructor(
    private readonly state: RouterState,
    menus: ReadonlyArray<Menu>,
  ) {
    for (const menu of menus) {
      this.menus.set(menu.path, menu);
      const parts = menu.path.split('/');
      for (let length = 2; length <= parts.length; length += 1)
        this.directories.add(parts.slice(0, length).join('/'));
    }
  }

  /** Runs a logged-in command; throws ApiTrap for a `!trap` reply. */
  execute(request: ApiRequest): CommandResult {
    const { menu, verb } = this.resolve(request.command);
    if (verb === 'print' || verb === 'getall') return this.print(menu, request);
    const command = menu.commands.get(verb);
    if (!command) throw noSuchCommand(verb);
    const ret = command(request);
    return { kind: 'reply', sentences: [ret === undefined ? ['!done'] : ['!done', `=ret=${ret}`]] };
  }

  private resolve(command: string): { menu: Menu; verb: string } {
    if (!command.startsWith('/')) throw noSuchMenu(command);
    const parts = command.split('/');
    for (let length = 2; length < parts.length; length += 1) {
      if (!this.directories.has(parts.slice(0, length).join('/'))) throw noSuchMenu(parts[length - 1]);
    }
    const verb = parts[parts.length - 1];
    const menu = this.menus.get(parts.slice(0, -1).join('/'));
    if (!menu) throw noSuchCommand(verb);
    return { menu, verb };
  }

  private print(menu: Menu, request: ApiRequest): CommandResult {
    if (request.strayWords.length > 0) throw unknownParameter(request.strayWords[0]);
    for (const name of request.attributes.keys()) if (!PRINT_OPTIONS.has(name)) throw unknownParameter(name);
    validateQueries(request.queries);
    const proplist = request.attributes.get('.proplist')?.split(',');
    const select = () => menu.rows().filter((row) => matchesQuery(row, request.queries));

    if (request.attributes.has('count-only')) {
      return { kind: 'reply', sentences: [['!done', `=ret=${select().length}`]] };
    }
    const interval = request.attributes.get('interval');
    if (interval !== undefined) {
      const intervalMs = parseInterval(interval);
      return { kind: 'repeat', intervalMs, produce: () => select().map((row) => rowSentence(row, proplist)) };
    }
    const sentences = select().map((row) => rowSentence(row, proplist));
    if (sentences.length === 0 && this.state.sendsEmpty) sentences.push(['!empty']);
    sentences.push(['!done']);
    return { kind: 'reply', sentences };
  }
}

function rowSentence(row: PrintedRow, proplist: ReadonlyArray<string> | undefined): ReplySentence {
  const words = ['!re'];
  if (proplist) {
    for (const name of proplist) {
      const value = row.get(name);
      if (value !== undefined) words.push(`=${name}=${value}`);
    }
  } else {
    for (const [name, value] of row) words.push(`=${name}=${value}`);
  }
  return words;
}

/** `1`, `1s`, `500ms`, `2m`: RouterOS time values; a bare number is seconds. */
function parseInterval(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) throw new ApiTrap('invalid value for argument interval', TrapCategory.ArgumentValueFailure);
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  const milliseconds = Number(match[1]) * scale;
  if (milliseconds < 10)
    throw new ApiTrap('value of interval is out of range (10ms..1d)', TrapCategory.ArgumentValueFailure);
  return milliseconds;
}
