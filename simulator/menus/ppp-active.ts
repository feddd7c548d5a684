import type { Menu, MenuCommand } from '../menu';
import type { PppSessions } from '../ppp';
import { readProperties, selectorOf } from '../properties';
import type { PrintedRow } from '../query';
import type { RouterState } from '../router-state';
import { formatDuration, formatId, formatIpv4 } from '../values';

export class PppActiveMenu implements Menu {
  readonly path = '/ppp/active';
  readonly commands: ReadonlyMap<string, MenuCommand>;

  constructor(
    private readonly state: RouterState,
    ppp: PppSessions,
  ) {
    this.commands = new Map<string, MenuCommand>([
      [
        'remove',
        (request) => {
          readProperties(request, new Map());
          for (const session of state.sessions.resolve(selectorOf(request)))
            ppp.disconnect(session, 'admin-disconnect');
          return undefined;
        },
      ],
    ]);
  }

  rows(): PrintedRow[] {
    return [...this.state.sessions.all()].map((session) => {
      const row = new Map<string, string>([
        ['.id', formatId(session.id)],
        ['name', session.name],
        ['service', session.service],
        ['caller-id', session.callerId],
        ['encoding', session.service === 'l2tp' ? 'cbc(aes) + hmac(sha1)' : ''],
        ['address', formatIpv4(session.address)],
        ['uptime', formatDuration(this.state.uptime - session.connectedAt)],
        ['session-id', session.sessionId],
      ]);
      if (session.limitBytesIn > 0n) row.set('limit-bytes-in', String(session.limitBytesIn));
      if (session.limitBytesOut > 0n) row.set('limit-bytes-out', String(session.limitBytesOut));
      row.set('radius', 'false');
      return row;
    });
  }
}
