import type { ActiveSession, RouterDirectory } from '../routeros';
import type { StatisticsStore } from '../store/statistics-store';

export interface LiveSession {
  /** The PPP service the session uses: l2tp, sstp, ovpn, pptp, ... */
  protocol: string | null;
  callerId: string | null;
  address: string | null;
  uptimeSeconds: number | null;
}

export interface LiveState {
  online: boolean;
  sessions: LiveSession[];
  /** Where the answer comes from: the router just now, or the last metering pass when it did not answer. */
  source: 'router' | 'metering';
  /** When the sessions were seen; null when metering never reached the router. */
  asOf: string | null;
}

export interface LiveSessionOptions {
  /** A page waits at most this long for the router before it shows the metered state. */
  timeoutMs: number;
  /** One router print serves every page of that router for this long. */
  cacheMs: number;
  now: () => number;
}

const DEFAULT_OPTIONS: LiveSessionOptions = { timeoutMs: 2_000, cacheMs: 5_000, now: Date.now };

interface RouterSessions {
  sessions: ActiveSession[];
  readAt: number;
}

/**
 * Who is online, read from the router when a page asks: one print of the router's active sessions
 * serves every request for a few seconds (a refresh storm costs one router call), concurrent
 * requests share the print in flight, and a router that does not answer in time leaves the answer
 * to the last metering pass, with its age.
 */
export class LiveSessions {
  private readonly options: LiveSessionOptions;
  private readonly cache = new Map<number, RouterSessions>();
  private readonly inFlight = new Map<number, Promise<RouterSessions | undefined>>();
  /** Router prints made so far: what the cache saves is measured against this. */
  routerReads = 0;

  constructor(
    private readonly routerClients: RouterDirectory,
    private readonly store: Pick<StatisticsStore, 'meteredSessions' | 'routerMetering'>,
    options: Partial<LiveSessionOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  async of(service: { serviceId: number; routerId: number; username: string }): Promise<LiveState> {
    const fromRouter = await this.routerSessions(service.routerId);
    if (fromRouter) {
      const sessions = fromRouter.sessions
        .filter((session) => session.name === service.username)
        .map((session) => ({
          protocol: session.service || null,
          callerId: session.callerId ?? null,
          address: session.address ?? null,
          uptimeSeconds: session.uptimeSeconds ?? null,
        }));
      return {
        online: sessions.length > 0,
        sessions,
        source: 'router',
        asOf: new Date(fromRouter.readAt).toISOString(),
      };
    }
    const [metered, [pass]] = await Promise.all([
      this.store.meteredSessions(service.serviceId, service.routerId),
      this.store.routerMetering(service.routerId),
    ]);
    return {
      online: metered.length > 0,
      sessions: metered.map(({ protocol, callerId, address, uptimeSeconds }) => ({
        protocol,
        callerId,
        address,
        uptimeSeconds,
      })),
      source: 'metering',
      asOf: pass?.lastSuccessAt?.toISOString() ?? null,
    };
  }

  private async routerSessions(routerId: number): Promise<RouterSessions | undefined> {
    const cached = this.cache.get(routerId);
    if (cached && this.options.now() - cached.readAt < this.options.cacheMs) return cached;
    let pending = this.inFlight.get(routerId);
    if (!pending) {
      pending = this.readRouter(routerId).finally(() => this.inFlight.delete(routerId));
      this.inFlight.set(routerId, pending);
    }
    return pending;
  }

  private async readRouter(routerId: number): Promise<RouterSessions | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.options.timeoutMs);
    });
    const read = (async () => {
      this.routerReads += 1;
      const client = await this.routerClients.clientFor(routerId);
      const sessions = await client.listActiveSessions();
      const fresh = { sessions, readAt: this.options.now() };
      this.cache.set(routerId, fresh);
      return fresh;
    })().catch(() => undefined);
    try {
      return await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
