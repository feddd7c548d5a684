import type { Menu, MenuCommand } from '../menu';
import type { QueueTarget, SimpleQueue } from '../model';
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
import { formatId, formatPrefix, parseBoolean, parseIpv4Prefix, parseRatePair } from '../values';

/** Configured properties with the value print shows when they were never set. */
const CONFIGURED: ReadonlyArray<[string, string]> = [
  ['name', ''],
  ['target', ''],
  ['parent', 'none'],
  ['packet-marks', ''],
  ['priority', '8/8'],
  ['queue', 'default-small/default-small'],
  ['limit-at', '0/0'],
  ['max-limit', '0/0'],
  ['burst-limit', '0/0'],
  ['burst-threshold', '0/0'],
  ['burst-time', '0s/0s'],
  ['bucket-size', '0.1/0.1'],
];

const ratePair = (property: string) => (value: string) => {
  const pair = parseRatePair(property, value);
  return `${pair.upload}/${pair.download}`;
};

export class QueueSimpleMenu implements Menu {
  readonly path = '/queue/simple';
  readonly commands: ReadonlyMap<string, MenuCommand>;
  private readonly specs: PropertySpecs;

  constructor(private readonly state: RouterState) {
    this.specs = new Map([
      ['name', anyText],
      ['target', (value: string) => this.normalizeTarget(value).text],
      [
        'parent',
        (value: string) => {
          if (value !== 'none' && !state.queues.findByName(value)) throw noMatchingValue('parent');
          return value;
        },
      ],
      ['packet-marks', anyText],
      ['priority', anyText],
      ['queue', anyText],
      ['limit-at', ratePair('limit-at')],
      ['max-limit', ratePair('max-limit')],
      ['burst-limit', ratePair('burst-limit')],
      ['burst-threshold', ratePair('burst-threshold')],
      ['burst-time', anyText],
      ['bucket-size', anyText],
      ['comment', anyText],
      ['disabled', (value: string) => parseBoolean('disabled', value)],
    ]);
    this.commands = new Map<string, MenuCommand>([
      ['add', (request) => formatId(this.create(readProperties(request, this.specs)).id)],
      ['set', (request) => this.set(request)],
      ['remove', (request) => this.remove(request)],
      ['enable', (request) => this.change(request, (queue) => queue.values.set('disabled', 'false'))],
      ['disable', (request) => this.change(request, (queue) => queue.values.set('disabled', 'true'))],
      ['reset-counters', (request) => this.change(request, resetCounters)],
      [
        'reset-counters-all',
        (request) => {
          readProperties(request, new Map());
          for (const queue of state.queues.all()) resetCounters(queue);
          return undefined;
        },
      ],
    ]);
  }

  create(properties: ReadonlyMap<string, string>): SimpleQueue {
    const target = properties.get('target');
    if (target === undefined || target === '') throw new ApiTrap('failure: target not specified');
    const queues = this.state.queues;
    const id = queues.allocateId();
    const name = properties.get('name') ?? `queue${id}`;
    if (queues.findByName(name)) throw new ApiTrap('failure: queue with such name already exists');
    const values = new Map<string, string>();
    assignProperties(values, properties);
    values.set('name', name);
    values.set('disabled', properties.get('disabled') ?? 'false');
    const queue: SimpleQueue = {
      id,
      dynamic: false,
      values,
      targets: this.normalizeTarget(target).targets,
      uploadBytes: 0n,
      downloadBytes: 0n,
      uploadPackets: 0n,
      downloadPackets: 0n,
      uploadRate: 0n,
      downloadRate: 0n,
    };
    queues.insert(queue);
    this.state.queueTargetsVersion += 1;
    return queue;
  }

  /** Checks properties given through the in-process API as if they came in a command. */
  normalize(properties: ReadonlyMap<string, string>): Map<string, string> {
    return normalizeProperties(properties, this.specs);
  }

  private set(request: ApiRequest): undefined {
    const properties = readProperties(request, this.specs);
    const queues = this.state.queues.resolve(selectorOf(request));
    if (queues.some((queue) => queue.dynamic)) throw new ApiTrap('failure: can not change dynamic queue');
    const newName = properties.get('name');
    if (newName !== undefined) {
      const holder = this.state.queues.findByName(newName);
      if ((holder && holder !== queues[0]) || queues.length > 1) {
        throw new ApiTrap('failure: queue with such name already exists');
      }
    }
    for (const queue of queues) {
      assignProperties(queue.values, properties);
      const target = properties.get('target');
      if (target !== undefined) queue.targets = this.normalizeTarget(target).targets;
    }
    this.state.queueTargetsVersion += 1;
    this.state.queues.namesChanged();
    return undefined;
  }

  private remove(request: ApiRequest): undefined {
    readProperties(request, new Map());
    const queues = this.state.queues.resolve(selectorOf(request));
    if (queues.some((queue) => queue.dynamic)) throw new ApiTrap('failure: can not remove dynamic queue');
    for (const queue of queues) this.state.queues.delete(queue.id);
    this.state.queueTargetsVersion += 1;
    return undefined;
  }

  private change(request: ApiRequest, change: (queue: SimpleQueue) => void): undefined {
    readProperties(request, new Map());
    for (const queue of this.state.queues.resolve(selectorOf(request))) change(queue);
    this.state.queueTargetsVersion += 1;
    return undefined;
  }

  /** Addresses print as `a.b.c.d/len`; interface names must exist. */
  private normalizeTarget(text: string): { text: string; targets: QueueTarget[] } {
    const targets: QueueTarget[] = [];
    const printed: string[] = [];
    for (const part of text.split(',')) {
      const prefix = parseIpv4Prefix(part);
      if (prefix) {
        targets.push({ prefix });
        printed.push(formatPrefix(prefix));
      } else if (this.state.interfaces.findByName(part)) {
        targets.push({ interfaceName: part });
        printed.push(part);
      } else {
        throw noMatchingValue('target');
      }
    }
    return { text: printed.join(','), targets };
  }

  rows(): PrintedRow[] {
    const rows: PrintedRow[] = [];
    for (const queue of this.state.queues.all()) {
      const row = new Map<string, string>([['.id', formatId(queue.id)]]);
      for (const [key, fallback] of CONFIGURED) row.set(key, queue.values.get(key) ?? fallback);
      const comment = queue.values.get('comment');
      if (comment !== undefined) row.set('comment', comment);
      row.set('dynamic', queue.dynamic ? 'true' : 'false');
      row.set('disabled', queue.values.get('disabled') ?? 'false');
      row.set('invalid', 'false');
      row.set('rate', `${queue.uploadRate}/${queue.downloadRate}`);
      row.set('packet-rate', '0/0');
      row.set('bytes', `${queue.uploadBytes}/${queue.downloadBytes}`);
      row.set('total-bytes', '0');
      row.set('packets', `${queue.uploadPackets}/${queue.downloadPackets}`);
      row.set('total-packets', '0');
      row.set('dropped', '0/0');
      row.set('total-dropped', '0');
      row.set('queued-packets', '0/0');
      row.set('total-queued-packets', '0');
      row.set('queued-bytes', '0/0');
      row.set('total-queued-bytes', '0');
      rows.push(row);
    }
    return rows;
  }
}

function resetCounters(queue: SimpleQueue): void {
  queue.uploadBytes = 0n;
  queue.downloadBytes = 0n;
  queue.uploadPackets = 0n;
  queue.downloadPackets = 0n;
}
