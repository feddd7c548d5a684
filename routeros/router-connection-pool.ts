import { DEFAULT_TIMEOUT_MS, RouterConnection, routerLabel } from './connection';
import { RouterError, RouterTimeoutError, RouterUnreachableError } from './errors';
import type { RouterConnectionSpec, RouterRow } from './types';

export interface CallOptions {
  /** Overrides the spec's timeout for this call (waiting for a free slot included). */
  timeoutMs?: number;
}

/** What the typed client needs: somewhere to send one command. */
export interface RouterCaller {
  readonly label: string;
  call(words: readonly string[], options?: CallOptions): Promise<RouterRow[]>;
}

export interface PoolLimits {
  /** Connections kept to one router. */
  maxConnections: number;
  /** Tagged commands in flight on one connection. */
  maxInFlightPerConnection: number;
  /** After a failed connect, calls fail at once for this long, doubling up to the maximum. */
  reconnectBackoffMs: { initial: number; max: number };
}

export const DEFAULT_POOL_LIMITS: PoolLimits = {
  maxConnections: 2,
  maxInFlightPerConnection: 8,
  reconnectBackoffMs: { initial: 500, max: 15_000 },
};

interface DownState {
  error: RouterError;
  until: number;
  backoffMs: number;
}

/**
 * The connections to one router. A call takes the least busy connection that has room, opens another
 * one while under the limit, or waits for a slot. A connection that ends for any reason leaves the
 * pool and is replaced on demand. When connecting fails, the router is marked down: while no
 * connection is left, every call fails immediately with that error until the backoff has passed;
 * then one call tries again.
 */
export class RouterConnectionPool implements RouterCaller {
  readonly label: string;
  private readonly load = new Map<RouterConnection, number>();
  private opening: Promise<RouterConnection> | undefined;
  private down: DownState | undefined;
  /** Calls waiting for a slot, first come first served; undefined means "look again". */
  private waiters: Array<(handedOver: RouterConnection | undefined) => void> = [];
  private closed = false;

  constructor(
    private readonly spec: RouterConnectionSpec,
    private readonly limits: PoolLimits = DEFAULT_POOL_LIMITS,
  ) {
    this.label = routerLabel(spec);
  }

  get connectionCount(): number {
    return this.load.size;
  }

  async call(words: readonly string[], options: CallOptions = {}): Promise<RouterRow[]> {
    const timeoutMs = options.timeoutMs ?? this.spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const connection = await this.acquire(deadline, timeoutMs);
    try {
      return await connection.call(words, Math.max(1, deadline - Date.now()));
    } finally {
      this.release(connection);
    }
  }

  /** Closes every connection; later calls fail as unreachable. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeWaiters();
    const connections = [...this.load.keys()];
    for (const connection of connections) connection.close();
    await Promise.all(connections.map((connection) => connection.closed));
    await this.opening?.then((connection) => connection.close()).catch(() => undefined);
  }

  private async acquire(deadline: number, timeoutMs: number): Promise<RouterConnection> {
    for (;;) {
      if (this.closed) throw new RouterUnreachableError(this.label, 'connection pool closed');
      const connection = this.leastBusy();
      if (connection) {
        this.load.set(connection, (this.load.get(connection) ?? 0) + 1);
        return connection;
      }
      const down = this.down && Date.now() < this.down.until ? this.down : undefined;
      if (down && this.load.size === 0) throw down.error;
      if (!down && !this.opening && this.load.size < this.limits.maxConnections) {
        this.opening = this.openConnection();
      }
      if (this.opening) {
        await this.opening;
        continue;
      }
      const handedOver = await this.waitForSlot(deadline, timeoutMs);
      if (handedOver) return handedOver;
    }
  }

  private leastBusy(): RouterConnection | undefined {
    let best: RouterConnection | undefined;
    let bestLoad = this.limits.maxInFlightPerConnection;
    for (const [connection, load] of this.load) {
      if (connection.isOpen && load < bestLoad) {
        best = connection;
        bestLoad = load;
      }
    }
    return best;
  }

  /** Hands the slot straight to the longest waiter, so a busy pool does no extra work per call. */
  private release(connection: RouterConnection): void {
    const load = this.load.get(connection);
    if (load === undefined) return;
    const waiter = connection.isOpen ? this.waiters.shift() : undefined;
    if (waiter) waiter(connection);
    else this.load.set(connection, load - 1);
  }

  private async openConnection(): Promise<RouterConnection> {
    try {
      const connection = await RouterConnection.open(this.spec);
      this.down = undefined;
      if (this.closed) {
        connection.close();
        return connection;
      }
      this.load.set(connection, 0);
      void connection.closed.then(() => {
        this.load.delete(connection);
        this.wakeWaiters();
      });
      return connection;
    } catch (error) {
      const routerError =
        error instanceof RouterError ? error : new RouterUnreachableError(this.label, String(error));
      const backoffMs = this.down
        ? Math.min(this.down.backoffMs * 2, this.limits.reconnectBackoffMs.max)
        : this.limits.reconnectBackoffMs.initial;
      this.down = { error: routerError, until: Date.now() + backoffMs, backoffMs };
      throw routerError;
    } finally {
      this.opening = undefined;
      this.wakeWaiters();
    }
  }

  private waitForSlot(deadline: number, timeoutMs: number): Promise<RouterConnection | undefined> {
    return new Promise<RouterConnection | undefined>((resolve, reject) => {
      const wake = (handedOver: RouterConnection | undefined): void => {
        clearTimeout(timer);
        resolve(handedOver);
      };
      const timer = setTimeout(
        () => {
          const index = this.waiters.indexOf(wake);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new RouterTimeoutError(this.label, `no free connection slot within ${timeoutMs} ms`));
        },
        Math.max(1, deadline - Date.now()),
      );
      this.waiters.push(wake);
    });
  }

  /** The set of connections changed: every waiter looks again. */
  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake(undefined);
  }
}
