import type { Menu, MenuCommand } from '../menu';
import { zeroCounters, type NetInterface } from '../model';
import { anyText, readProperties, selectorOf } from '../properties';
import type { PrintedRow } from '../query';
import type { ApiRequest } from '../request';
import type { RouterState } from '../router-state';
import { ApiTrap } from '../trap';
import { formatId, formatRouterDate, parseBoolean, parseUnsigned } from '../values';

export class InterfaceMenu implements Menu {
  readonly path = '/interface';
  readonly commands: ReadonlyMap<string, MenuCommand>;

  constructor(private readonly state: RouterState) {
    const specs = new Map([
      ['comment', anyText],
      ['disabled', (value: string) => parseBoolean('disabled', value)],
      ['mtu', (value: string) => String(parseUnsigned('mtu', value, 65536n))],
    ]);
    const each = (request: ApiRequest, change: (netInterface: NetInterface) => void): undefined => {
      for (const netInterface of state.interfaces.resolve(selectorOf(request))) change(netInterface);
      return undefined;
    };
    this.commands = new Map<string, MenuCommand>([
      [
        'set',
        (request) => {
          const properties = readProperties(request, specs);
          return each(request, (netInterface) => {
            if (netInterface.dynamic) throw new ApiTrap('failure: can not change dynamic interface');
            const comment = properties.get('comment');
            if (comment !== undefined) netInterface.comment = comment === '' ? undefined : comment;
            const disabled = properties.get('disabled');
            if (disabled !== undefined) netInterface.disabled = disabled === 'true';
            const mtu = properties.get('mtu');
            if (mtu !== undefined) netInterface.mtu = Number(mtu);
          });
        },
      ],
      ['enable', (request) => each(readAndKeep(request), (netInterface) => (netInterface.disabled = false))],
      ['disable', (request) => each(readAndKeep(request), (netInterface) => (netInterface.disabled = true))],
      [
        'reset-counters',
        (request) => each(readAndKeep(request), (netInterface) => (netInterface.counters = zeroCounters())),
      ],
    ]);
  }

  rows(): PrintedRow[] {
    const isoDates = this.state.isoDates;
    return [...this.state.interfaces.all()].map((netInterface) => {
      const { counters } = netInterface;
      const row = new Map<string, string>([
        ['.id', formatId(netInterface.id)],
        ['name', netInterface.name],
        ['type', netInterface.type],
        ['mtu', String(netInterface.mtu)],
        ['actual-mtu', String(netInterface.mtu)],
        ['last-link-up-time', formatRouterDate(netInterface.lastLinkUp, isoDates)],
        ['link-downs', String(netInterface.linkDowns)],
        ['rx-byte', String(counters.rxBytes)],
        ['tx-byte', String(counters.txBytes)],
        ['rx-packet', String(counters.rxPackets)],
        ['tx-packet', String(counters.txPackets)],
        ['rx-drop', '0'],
        ['tx-drop', '0'],
        ['tx-queue-drop', '0'],
        ['rx-error', '0'],
        ['tx-error', '0'],
        ['running', netInterface.disabled ? 'false' : 'true'],
        ['disabled', netInterface.disabled ? 'true' : 'false'],
        ['dynamic', netInterface.dynamic ? 'true' : 'false'],
      ]);
      if (netInterface.comment !== undefined) row.set('comment', netInterface.comment);
      return row;
    });
  }
}

function readAndKeep(request: ApiRequest): ApiRequest {
  readProperties(request, new Map());
  return request;
}
