import { createHash } from 'node:crypto';
import { Channel } from 'node-routeros';
import {
  classifySocketError,
  RouterAuthenticationError,
  RouterError,
  RouterFatalError,
  RouterProtocolError,
  RouterTimeoutError,
  RouterTlsError,
  RouterTrapError,
  RouterUnreachableError,
} from './errors';
import { certificateMatchesPin, tlsOptionsFor } from './tls';
import type { RouterConnectionSpec, RouterRow } from './types';
import { type ConnectorEnding, SafeConnector } from './wire/safe-connector';

export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * An idle pooled connection is dropped after this long; long enough that metering every few minutes
 * reuses its session instead of logging in (and filling the router's log) each time.
 */
const IDLE_TIMEOUT_SECONDS = 600;

export function routerLabel(spec: Pick<RouterConnectionSpec, 'host' | 'port'>): string {
  return `${spec.host}:${spec.port}`;
}

/**
 * One logged-in API session. Commands are tagged (node-routeros's Channel) so any number run
 * concurrently. Unlike node-routeros's RouterOSAPI, every call settles: with its reply, with a
 * classified error when the connection ends for any reason, or with a timeout, after which the
 * connection is dropped because a router that misses one deadline cannot be trusted with the next.
 */
export class RouterConnection {
  /** Settles once, with the error that ended the connection. */
  readonly closed: Promise<RouterError>;
  private readonly pending = new Set<(error: RouterError) => void>();
  private endError: RouterError | undefined;

  private constructor(
    private readonly connector: SafeConnector,
    readonly label: string,
    private readonly timeoutMs: number,
  ) {
    this.closed = connector.ended.then((ending) => this.onEnded(ending));
  }

  static async open(spec: RouterConnectionSpec): Promise<RouterConnection> {
    const label = routerLabel(spec);
    const timeoutMs = spec.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const connector = new SafeConnector({
      host: spec.host,
      port: spec.port,
      idleTimeoutSeconds: Math.max(IDLE_TIMEOUT_SECONDS, Math.ceil((2 * timeoutMs) / 1000)),
      tls: tlsOptionsFor(spec),
    });
    const connection = new RouterConnection(connector, label, timeoutMs);
    try {
      await connection.handshake(timeoutMs);
      const pin = spec.tls === false ? undefined : spec.tls.fingerprint;
      if (pin !== undefined && !certificateMatchesPin(connector.peerCertificate(), pin)) {
        throw new RouterTlsError(label, 'certificate does not match the pinned SHA-256 fingerprint');
      }
      await connection.login(spec.user, spec.password, Math.max(1, deadline - Date.now()));
      return connection;
    } catch (error) {
      connection.terminate(
        error instanceof RouterError ? error : new RouterUnreachableError(label, String(error)),
      );
      throw error;
    }
  }

  get isOpen(): boolean {
    return this.endError === undefined;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Runs one command (`['/ppp/secret/print', '?name=x']`); resolves with the reply rows. */
  call(words: readonly string[], timeoutMs = this.timeoutMs): Promise<RouterRow[]> {
    if (this.endError) return Promise.reject(this.endError);
    const command = words[0] ?? '';
    return new Promise<RouterRow[]>((resolve, reject) => {
      let settled = false;
      let trap: RouterRow | undefined;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(abort);
        return true;
      };
      const abort = (error: RouterError): void => {
        if (settle()) reject(error);
      };
      const timer = setTimeout(() => {
        abort(new RouterTimeoutError(this.label, `${command} got no reply within ${timeoutMs} ms`));
        this.terminate(new RouterTimeoutError(this.label, `connection dropped after ${command} timed out`));
      }, timeoutMs);
      this.pending.add(abort);
      const channel = new Channel(this.connector);
      channel.once('trap', (attributes: RouterRow) => (trap = attributes));
      channel.write([...words]).then(
        (rows) => {
          if (settle()) resolve(rows as RouterRow[]);
        },
        () => {
          if (settle()) reject(trapError(this.label, command, trap));
        },
      );
    });
  }

  /** Closes the session; calls still in flight fail as unreachable. */
  close(): void {
    this.terminate(new RouterUnreachableError(this.label, 'connection closed by the client'));
  }

  private terminate(error: RouterError): void {
    if (this.endError) return;
    this.endError = error;
    this.rejectPending(error);
    this.connector.end({ reason: 'closed' });
  }

  private onEnded(ending: ConnectorEnding): RouterError {
    this.endError ??= endingError(this.label, ending);
    this.rejectPending(this.endError);
    return this.endError;
  }

  private rejectPending(error: RouterError): void {
    for (const abort of [...this.pending]) abort(error);
  }

  private handshake(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RouterUnreachableError(this.label, `no connection within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.connector.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      void this.closed.then((error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.connector.connect();
    });
  }

  private async login(user: string, password: string, timeoutMs: number): Promise<void> {
    try {
      const reply = await this.call(['/login', `=name=${user}`, `=password=${password}`], timeoutMs);
      const challenge = reply.find((row) => row.ret !== undefined)?.ret;
      if (challenge !== undefined) {
        const response = legacyLoginResponse(password, challenge);
        await this.call(['/login', `=name=${user}`, `=response=${response}`], timeoutMs);
      }
    } catch (error) {
      if (error instanceof RouterTrapError) {
        throw new RouterAuthenticationError(this.label, `login refused: ${error.routerMessage}`);
      }
      throw error;
    }
  }
}

/** Pre-6.43 challenge login: `00` + MD5(0x00 ‖ password ‖ challenge bytes). */
export function legacyLoginResponse(password: string, challengeHex: string): string {
  const digest = createHash('md5')
    .update(Buffer.from([0]))
    .update(Buffer.from(password, 'latin1'))
    .update(Buffer.from(challengeHex, 'hex'))
    .digest('hex');
  return `00${digest}`;
}

function trapError(label: string, command: string, trap: RouterRow | undefined): RouterTrapError {
  const category = trap?.category === undefined ? undefined : Number(trap.category);
  return new RouterTrapError(
    label,
    command,
    trap?.message ?? 'unknown failure',
    Number.isInteger(category) ? category : undefined,
  );
}

function endingError(label: string, ending: ConnectorEnding): RouterError {
  switch (ending.reason) {
    case 'fatal':
      return new RouterFatalError(label, `router ended the session: ${ending.message || '!fatal'}`);
    case 'protocol':
      return new RouterProtocolError(label, ending.message);
    case 'socket-error':
      return classifySocketError(label, ending.error);
    case 'idle':
      return new RouterTimeoutError(label, 'connection idle timeout');
    case 'closed':
      return new RouterUnreachableError(label, 'connection closed by the router');
  }
}
